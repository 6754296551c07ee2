# Letters and applicants' files move to the private storage, which no URL maps.

import gongkai.applications.models
import gongkai.core.storage
from django.db import migrations, models


def move_files(apps, schema_editor):
    """The files stored so far under MEDIA_ROOT go to the private storage (same names).
    Rerunnable; `gongkai files move-private` does the same and sweeps orphans too."""
    Letter = apps.get_model("applications", "Letter")
    ApplicationFile = apps.get_model("applications", "ApplicationFile")
    names = [
        *(n for pair in Letter.objects.values_list("docx", "pdf").iterator() for n in pair),
        *ApplicationFile.objects.values_list("file", flat=True).iterator(),
    ]
    gongkai.core.storage.move_private_files(names)


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0004_letter_file_year"),
    ]

    operations = [
        migrations.AlterField(
            model_name="applicationfile",
            name="file",
            field=models.FileField(
                max_length=255,
                storage=gongkai.core.storage.private_storage,
                upload_to=gongkai.applications.models.application_file_path,
            ),
        ),
        migrations.AlterField(
            model_name="letter",
            name="docx",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=gongkai.core.storage.private_storage,
                upload_to=gongkai.applications.models.letter_file_path,
            ),
        ),
        migrations.AlterField(
            model_name="letter",
            name="pdf",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=gongkai.core.storage.private_storage,
                upload_to=gongkai.applications.models.letter_file_path,
            ),
        ),
        # Reversal leaves the files in the private storage (files are not transactional).
        migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True),
    ]

# Attachments move to the private storage, which no URL maps: a draft's files were reachable
# under /media. Published ones reach the public through the portal's view.

import gongkai.catalogue.models
import gongkai.core.storage
from django.db import migrations, models


def move_files(apps, schema_editor):
    """The files stored so far under MEDIA_ROOT go to the private storage (same names).
    Rerunnable; `gongkai files move-private` does the same and sweeps orphans too."""
    Attachment = apps.get_model("catalogue", "Attachment")
    gongkai.core.storage.move_private_files(
        Attachment.objects.values_list("file", flat=True).iterator()
    )


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0004_item_content_authors"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                max_length=255,
                storage=gongkai.core.storage.private_storage,
                upload_to=gongkai.catalogue.models.attachment_path,
                verbose_name="file",
            ),
        ),
        # Reversal leaves the files in the private storage (files are not transactional).
        migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True),
    ]

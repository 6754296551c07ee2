"""Stored files on the command line.

gongkai files move-private   move letters, applicants' files and attachments stored under
                             MEDIA_ROOT (served to anyone) to the private storage; rerunnable
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db.models import FileField
from django.utils.translation import gettext as _

from gongkai.core.storage import move_private_files, private_storage


def private_names():
    """The names the private FileFields hold now, in every app's models (core names none)."""
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, FileField)
            and field.deconstruct()[3].get("storage") is private_storage
        ]
        if fields:
            for row in model._base_manager.values_list(*fields).iterator():
                yield from row


class Command(BaseCommand):
    help = "Manage stored files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "move-private",
            help="Move letters, applicants' files and attachments out of MEDIA_ROOT into the "
            "private storage (rerunnable).",
        )

    def handle(self, *args, action, **options):
        # The only action so far: move-private. Files no row names any more move too (an
        # orphan is still somebody's data).
        result = move_private_files(
            private_names(),
            sweep=True,
            progress=lambda name: self.stdout.write(_("moved %(name)s") % {"name": name}),
        )
        self.stdout.write(
            _(
                "%(moved)d files moved to the private storage; %(finished)d public copies left by "
                "an earlier run removed."
            )
            % {"moved": result.moved, "finished": result.finished}
        )
        if result.conflicts:
            for name in result.conflicts:
                self.stderr.write(
                    _(
                        "%(name)s: a different file of that name is already in the private "
                        "storage; left where it is."
                    )
                    % {"name": name}
                )
            raise CommandError(_("Some files could not be moved."))

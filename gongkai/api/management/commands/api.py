"""API tokens on the command line.

gongkai api token create --user USERNAME --name NAME   (prints the token once)
gongkai api token list [--user USERNAME]
gongkai api token revoke PREFIX
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.api import services
from gongkai.api.models import ApiToken
from gongkai.core.models import User


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


class Command(BaseCommand):
    help = "Create, list and revoke the API tokens of staff users."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="resource", required=True)
        token = sub.add_parser("token", help="API tokens.")
        actions = token.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token; it is shown only once.")
        create.add_argument("--user", required=True, help="The user the token acts as.")
        create.add_argument("--name", required=True, help="What the token is for.")
        listing = actions.add_parser("list", help="The tokens (never their keys).")
        listing.add_argument("--user", help="Only this user's tokens.")
        revoke = actions.add_parser("revoke", help="Revoke a token for good.")
        revoke.add_argument("prefix", help="The first 8 characters of the token.")

    def handle(self, *args, resource, action, **options):
        getattr(self, f"do_{resource}_{action}")(**options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%s”.") % username)
        return user

    def do_token_create(self, *, user, name, **_options):
        try:
            token, key = services.api_token_create(actor=None, user=self._user(user), name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(key)
        self.stderr.write(
            _(
                "Token “%(name)s” for %(user)s created. Copy it now: it is not stored and cannot "
                "be shown again. Send it as “Authorization: Bearer <token>”."
            )
            % {"name": token.name, "user": token.user.username}
        )

    def do_token_list(self, *, user=None, **_options):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if user:
            tokens = tokens.filter(user=self._user(user))
        for token in tokens:
            state = _("revoked %s") % _local(token.revoked_at) if token.revoked_at else _("active")
            last = _local(token.last_used_at) if token.last_used_at else "-"
            self.stdout.write(
                f"{token.prefix}\t{token.user.username}\t{token.name}\t"
                f"{_local(token.created_at)}\t{last}\t{state}"
            )

    def do_token_revoke(self, *, prefix, **_options):
        tokens = list(ApiToken.objects.filter(prefix=prefix))
        if not tokens:
            raise CommandError(_("No token starts with “%s”.") % prefix)
        if len(tokens) > 1:
            raise CommandError(_("Several tokens start with “%s”.") % prefix)
        token = services.api_token_revoke(actor=None, token=tokens[0])
        self.stdout.write(
            _("Token “%(name)s” of %(user)s is revoked.")
            % {"name": token.name, "user": token.user.username}
        )

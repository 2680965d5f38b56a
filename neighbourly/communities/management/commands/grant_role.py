from django.core.management.base import BaseCommand, CommandError

from neighbourly.accounts.selectors import user_get_by_email
from neighbourly.communities.models import Role
from neighbourly.communities.selectors import community_get_by_slug
from neighbourly.communities.services import membership_grant_role
from neighbourly.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Appoint a user as moderator or property manager of a community."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--community", required=True, help="community slug")
        parser.add_argument("--role", required=True, choices=[Role.MODERATOR, Role.PROPERTY_MANAGER, Role.RESIDENT])
        parser.add_argument("--unconfirmed-ok", action="store_true",
                            help="appoint even though the account has not confirmed its e-mail address")

    def handle(self, *args, email, community, role, unconfirmed_ok=False, **options):
        try:
            user = user_get_by_email(email=email)
            if not user.email_confirmed and not unconfirmed_ok:
                # Anyone can sign up with someone else's address: the account is only theirs once confirmed.
                raise CommandError(f"{user.email} has not confirmed this e-mail address yet, so the account may "
                                   "not be theirs. Ask them to open the confirmation link (or reset their "
                                   "password), or pass --unconfirmed-ok.")
            target = community_get_by_slug(slug=community)
            membership_grant_role(user=user, community=target, role=role)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{user.email} is now {role} of {target.slug}.")

from django.core.management.base import BaseCommand

from neighbourly.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "(Re)create the demo communities, residents, moderators and merchants."

    def handle(self, *args, **options):
        logins = demo_seed()
        self.stdout.write("Demo neighbourhood ready. Logins (password: %s):" % DEMO_PASSWORD)
        for login in logins:
            self.stdout.write(f"  {login.email:<36} {login.what}")

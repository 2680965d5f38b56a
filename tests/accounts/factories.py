import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from neighbourly.accounts.models import Profile, User

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # An established member has confirmed their address; pass email_confirmed_at=None for a newcomer.
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)
    profile = factory.RelatedFactory("tests.accounts.factories.ProfileFactory", factory_related_name="user")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory, profile=None)
    display_name = factory.Faker("name")

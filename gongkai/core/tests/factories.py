import factory

from gongkai.core.models import Agency, AgencyLevel, Membership, Role, User
from gongkai.core.validators import uscc_check_character

PASSWORD = "Correct-horse-42"


def make_uscc(n: int) -> str:
    first17 = f"11330903{n:09d}"
    return first17 + uscc_check_character(first17)


class AgencyFactory(factory.django.DjangoModelFactory):
    """Creates agencies with a correct materialised path (as the service would)."""

    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试镇{n}人民政府")
    short_name = factory.Sequence(lambda n: f"测试镇{n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    level = AgencyLevel.TOWNSHIP
    uscc = factory.Sequence(lambda n: make_uscc(100000 + n))
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        parent_path = obj.parent.path if obj.parent_id else "/"
        obj.path = f"{parent_path}{obj.pk}/"
        obj.depth = parent_path.count("/") - 1
        if create:
            obj.save(update_fields=["path", "depth"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "张"
    first_name = "三"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.OFFICER

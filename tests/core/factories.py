"""Factories for orgs and staff users. Other apps' factories build on these."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from lianqing.core.models import Clearance, Org, OrgKind, User
from lianqing.core.roles import Role

TEST_PASSWORD = "Correct-Horse-42"


class OrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Org
        django_get_or_create = ("org_code",)

    org_code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = OrgKind.TOWNSHIP
    region_code = "370124"
    parent = None
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else '/'}{o.org_code}/")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"干部{n}")
    org = factory.SubFactory(OrgFactory)
    clearance = Clearance.SECRET
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=str(role))[0] for role in extracted])

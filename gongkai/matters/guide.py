"""What a 办事指南 says, for its public page and for the catalogue item that discloses it."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse

from .models import Matter, StarCriterion


@dataclass(frozen=True)
class Attribute:
    label: str  # the official name (网上申报 …)
    value: bool


ATTRIBUTE_FIELDS = (
    "online_application",
    "fully_online",
    "express_delivery",
    "zero_visit",
    "online",
    "mobile",
    "at_most_once",
    "no_difference",
)


def attributes(matter: Matter) -> list[Attribute]:
    """The “最多跑一次” attributes with their official names."""
    return [
        Attribute(str(Matter._meta.get_field(name).verbose_name), getattr(matter, name))
        for name in ATTRIBUTE_FIELDS
    ]


def star_text(matter: Matter) -> str:
    """“★★★☆☆ 三星”, or "" for a matter without a star level."""
    if not matter.star:
        return ""
    return "★" * matter.star + "☆" * (5 - matter.star) + " " + matter.get_star_display()


def star_criterion(matter: Matter) -> StarCriterion | None:
    if not matter.star:
        return None
    return StarCriterion.objects.filter(agency_id=matter.agency_id, star=matter.star).first()


def guide_path(matter: Matter) -> str:
    return reverse("portal:service-guide", kwargs={"agency": matter.agency.slug, "pk": matter.pk})


def context(matter: Matter) -> dict:
    return {
        "matter": matter,
        "materials": list(matter.materials.all()),
        "attributes": attributes(matter),
        "star_text": star_text(matter),
        "criterion": star_criterion(matter),
    }


def item_content(matter: Matter) -> tuple[str, str, str]:
    """(title, summary, body HTML) of the catalogue item that discloses the guide."""
    # Stored data, the same whatever the publisher's language: Chinese, not translated.
    title = f"{matter.name}办事指南"
    summary = "；".join(
        part
        for part in (
            f"事项编码：{matter.code}",
            f"事项类型：{matter.get_matter_type_display()}",
            f"星级：{matter.get_star_display()}" if matter.star else "",
        )
        if part
    )
    body = render_to_string(
        "matters/_item_body.html", {**context(matter), "guide_url": guide_path(matter)}
    )
    return title[:300], summary, body

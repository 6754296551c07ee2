"""An agency's public site as every public page frames it: the agencies that have one, its
name and footer marks (`Site`), and the audit stamps its pages are dated by.

Below every app (issue 16): the public pages of applications, 找错, 办事指南 and the annual
reports read their frame here and never import the portal. The portal owns the settings row
behind a site (`portal.models.PortalSettings`) and hands its model over when it starts
(`register_settings`, from portal/apps.py); core names neither the model nor its relation.
Without it every site falls back to its agency's own data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import Max, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .models import Agency, AuditEvent

# 公安机关互联网站安全管理服务平台: the footer's 公安备案 mark links to the record of the site.
POLICE_RECORD_URL = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}"
ICP_RECORD_URL = "https://beian.miit.gov.cn/"

# Sections of other apps. Each appears in the navigation, the 网站地图 and the guide as soon as
# its URL exists (name, then label), and not before: a visitor never meets a dead link.
OPTIONAL_SECTIONS = [
    ("portal:apply", "依申请公开"),
    ("portal:annual-reports", "年度报告"),
    ("portal:service-guides", "办事指南"),
]
# The “我为政府网站找错” intake; the footer links to it only once it exists.
REPORT_ERROR_URL_NAME = "portal:report-error"


# --- the settings row, as registered by the app that owns it ------------------------------


class _Registered:
    model: type[models.Model] | None = None
    relation: str = ""  # the agency's accessor of its row


_registered = _Registered()


def register_settings(model: type[models.Model]) -> None:
    """Declare the model holding an agency's site settings: a one-to-one `agency` field whose
    reverse accessor reads an agency's row (the portal calls this once, when it starts)."""
    field = model._meta.get_field("agency")
    accessor = field.remote_field.get_accessor_name()  # type: ignore[union-attr]
    if not accessor:
        raise ValueError(f"{model.__name__}.agency has no reverse accessor")
    _registered.model, _registered.relation = model, accessor


def public_agencies() -> QuerySet[Agency]:
    """Agencies with a public site: the active ones, with their site settings joined."""
    agencies = Agency.objects.active()
    if _registered.relation:
        agencies = agencies.select_related(_registered.relation)
    return agencies


def settings_of(agency: Agency) -> Any:
    """The agency's site settings; unsaved defaults when none were ever saved (no write), None
    when no app registered a settings model."""
    model = _registered.model
    if model is None:
        return None
    try:
        return getattr(agency, _registered.relation)
    except model.DoesNotExist:  # type: ignore[attr-defined]
        return model(agency=agency)


def stored_settings(agency: Agency) -> Any:
    """As `settings_of`, read afresh (one query) whatever the agency instance holds already:
    for a check that may run again on the same instance after a change."""
    model = _registered.model
    if model is None:
        return None
    return model._default_manager.filter(agency=agency).first() or model(agency=agency)


# --- the frame -----------------------------------------------------------------------------


def optional_url(name: str, agency: Agency | None) -> str | None:
    """The URL of a page of another app, or None where this deployment does not have it."""
    for kwargs in ({"agency": agency.slug} if agency else None, None):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


@dataclass
class Site:
    """One agency's portal, or the platform (agency None) hosted by its top agency."""

    agency: Agency | None
    host: Agency | None  # whose settings and contacts fill the footer
    settings: Any  # the registered settings row (or its unsaved defaults), or None

    @property
    def name(self) -> str:
        if self.agency is not None:
            named = self.settings.site_name if self.settings is not None else ""
            return named or default_site_name(self.agency)
        prefix = self.host.name if self.host else ""
        return f"{prefix}{_('Government information disclosure platform')}"

    def _setting(self, name: str) -> str:
        return getattr(self.settings, name, "") if self.settings else ""

    @property
    def sponsor(self) -> str:
        return self._setting("sponsor") or (self.host.name if self.host else "")

    @property
    def operator(self) -> str:
        return self._setting("operator")

    @property
    def phone(self) -> str:
        return self._setting("contact_phone") or (self.host.office_phone if self.host else "")

    @property
    def email(self) -> str:
        return self._setting("contact_email") or (self.host.office_email if self.host else "")

    @property
    def site_code(self) -> str:
        return self._setting("site_code")

    @property
    def icp_record(self) -> str:
        return self._setting("icp_record")

    @property
    def icp_url(self) -> str:
        return ICP_RECORD_URL

    @property
    def police_record(self) -> str:
        return self._setting("police_record")

    @property
    def police_url(self) -> str:
        code = self._setting("police_record_code")
        return POLICE_RECORD_URL.format(code=code) if code else ""

    @property
    def badge(self) -> bool:
        return bool(self.settings and self.settings.badge_image)

    @property
    def badge_src(self) -> str:
        if not self.badge or self.host is None:
            return ""
        return reverse("portal:badge", args=[self.host.slug])

    @property
    def badge_url(self) -> str:
        return self._setting("badge_url")

    @property
    def home_url(self) -> str:
        if self.agency is None:
            return reverse("portal:home")
        return reverse("portal:agency-home", args=[self.agency.slug])

    @cached_property
    def sections(self) -> list[tuple[str, str]]:
        """The optional sections that work, as (label, url)."""
        found = [(label, optional_url(name, self.agency)) for name, label in OPTIONAL_SECTIONS]
        return [(label, url) for label, url in found if url]

    @cached_property
    def report_error_url(self) -> str | None:
        # the platform's 找错 goes to its host agency, which runs the platform
        return optional_url(REPORT_ERROR_URL_NAME, self.agency or self.host)


def default_site_name(agency: Agency) -> str:
    """“<agency name>政府信息公开”, without saying 政府 twice (六横镇人民政府信息公开)."""
    name = agency.name
    return f"{name}信息公开" if name.endswith("政府") else f"{name}政府信息公开"


def site_for(agency: Agency) -> Site:
    return Site(agency=agency, host=agency, settings=settings_of(agency))


def platform_site() -> Site:
    """The platform is hosted by the top agency of the tree (集约化: the 区政府's platform)."""
    host = public_agencies().order_by("depth", "path").first()
    return Site(agency=None, host=host, settings=settings_of(host) if host else None)


# --- change stamps -------------------------------------------------------------------------


def changes(agency: Agency, object_types: tuple[str, ...]) -> tuple[int | None, datetime | None]:
    """The last audit event (id, time) about the agency's objects of these types.

    Columns, channels and catalogue settings carry no timestamp of their own; every write to
    them goes through a catalogue service, which records an audit event in its transaction.
    """
    row = AuditEvent.objects.filter(agency=agency, object_type__in=object_types).aggregate(
        last=Max("id"), at=Max("created_at")
    )
    return row["last"], row["at"]

"""Template tags of the 依申请公开 staff pages."""

from django import template

from gongkai.applications import masking, permissions, selectors

register = template.Library()


@register.simple_tag
def application_agencies(user):
    """The agencies whose applications `user` may read (for links on the staff home)."""
    return selectors.agencies_with_applications_visible_to(user)


@register.simple_tag
def applicant_contact(application, user, agency):
    """The applicant's contact details as `user` may see them (masking.contact)."""
    return masking.contact(application, full=permissions.can_handle_application(user, agency))


@register.filter
def render_state(states: dict, letter_pk) -> str:
    """The status of a letter's latest rendering task, from reply_views.render_states."""
    return (states or {}).get(letter_pk, "")

"""Template tags of the 依申请公开 staff pages."""

from django import template

from gongkai.applications import selectors

register = template.Library()


@register.simple_tag
def application_agencies(user):
    """The agencies whose applications `user` may read (for links on the staff home)."""
    return selectors.agencies_with_applications_visible_to(user)

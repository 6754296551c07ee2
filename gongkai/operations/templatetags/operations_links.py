"""`{% operations_agencies user as agencies %}`: the agencies whose operations records (and
dashboard) the user may read, for the links of the staff home."""

from django import template

from gongkai.operations.selectors import agencies_with_operations_visible_to

register = template.Library()


@register.simple_tag
def operations_agencies(user):
    return list(agencies_with_operations_visible_to(user).order_by("path"))

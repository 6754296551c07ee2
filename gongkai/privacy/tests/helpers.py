"""What the name tests share: the names `scan` finds in a text, in order."""

from gongkai.privacy import scan
from gongkai.privacy.findings import PERSON_NAME


def person_names(text: str) -> list[str]:
    return [f.text for f in scan(text) if f.type == PERSON_NAME]

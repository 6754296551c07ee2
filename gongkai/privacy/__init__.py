"""The privacy shield (去标识化): find and mask personal data in text before it is published.

Plain Python; only `apps` and the management command touch Django.

    from gongkai.privacy import scan, mask, FINDING_LABELS
"""

from gongkai.privacy.detect import scan
from gongkai.privacy.findings import FINDING_LABELS, Finding
from gongkai.privacy.masking import mask, mask_value

__all__ = ["FINDING_LABELS", "Finding", "mask", "mask_value", "scan"]

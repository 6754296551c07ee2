"""What the privacy shield reports: one `Finding` per piece of personal data. Plain Python."""

from dataclasses import dataclass

ID_CARD = "id_card"
ID_CARD_15 = "id_card_15"
MOBILE = "mobile"
LANDLINE = "landline"
BANK_CARD = "bank_card"
EMAIL = "email"
PERSON_NAME = "person_name"

TYPES = (ID_CARD, ID_CARD_15, MOBILE, LANDLINE, BANK_CARD, EMAIL, PERSON_NAME)

# Display labels (user-facing, Chinese).
FINDING_LABELS: dict[str, str] = {
    ID_CARD: "身份证号码",
    ID_CARD_15: "身份证号码（15位）",
    MOBILE: "手机号码",
    LANDLINE: "固定电话",
    BANK_CARD: "银行卡号",
    EMAIL: "电子邮箱",
    PERSON_NAME: "姓名",
}

# Notes (user-facing, Chinese).
NOTE_CHECK_DIGIT = "校验位不符"
NOTE_FOREIGN_PR = "外国人永久居留身份证"
NOTE_PUBLIC_LINE = "疑似机构对外电话"
NOTE_PUBLIC_MAILBOX = "疑似机构对外邮箱"
# An office's own number or mailbox, which notices must print: not personal data.
PUBLIC_CONTACT_NOTES = frozenset({NOTE_PUBLIC_LINE, NOTE_PUBLIC_MAILBOX})
NOTE_ALSO_CREDIT_CODE = "亦符合统一社会信用代码校验"


@dataclass(frozen=True)
class Finding:
    """A piece of personal data at text[start:end] (character offsets)."""

    type: str
    start: int
    end: int
    text: str
    confidence: float
    note: str = ""

    @property
    def label(self) -> str:
        return FINDING_LABELS.get(self.type, self.type)

    @property
    def public_contact(self) -> bool:
        """An office's line or mailbox (see PUBLIC_CONTACT_NOTES): reported, not blocking."""
        return self.note in PUBLIC_CONTACT_NOTES

    def masked(self) -> str:
        """The replacement for `text` (deterministic, see gongkai.privacy.masking)."""
        from gongkai.privacy.masking import mask_value

        return mask_value(self.type, self.text)

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "confidence": self.confidence,
            "note": self.note,
        }

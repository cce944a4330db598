"""Text folding shared by the territory search, the open-data importers and every list sorted by
name (no Django import)."""

import re
import unicodedata


def fold(text: str) -> str:
    """`"L'Haÿ-les-Roses"` → `"l hay les roses"`: for accent- and case-insensitive comparison."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[\W_]+", " ", stripped).split())


def sort_key(text: str | None) -> tuple[str, str]:
    """The key that sorts names the French way without ICU nor the machine's locale: accents,
    case and punctuation are ignored first (« Avrée » before « Avril-sur-Loire », « Écuelles »
    among the E), then the name as written breaks ties so that the order is stable."""
    text = text or ""
    return fold(text), text

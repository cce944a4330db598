"""Text folding shared by the territory search and the open-data importers (no Django import)."""

import re
import unicodedata


def fold(text: str) -> str:
    """`"L'Haÿ-les-Roses"` → `"l hay les roses"`: for accent- and case-insensitive comparison."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[\W_]+", " ", stripped).split())

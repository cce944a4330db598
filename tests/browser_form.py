"""What a browser would send for a form of a page: the tests post exactly the fields a page
renders (and then the same body with one field cut off, as a truncated request would).

    fields = form_fields(response.content.decode(), contains="version")
    client.post(url, fields.as_post())

Rules of HTML form submission: text-like inputs, hidden inputs and textareas always go; checkboxes
and radios only when checked; a select sends its selected options (a single select, its first
option when none is); disabled controls, buttons and file inputs (sent apart) do not.
"""

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


@dataclass
class Control:
    name: str
    kind: str  # "input", "checkbox", "radio", "textarea", "select"
    values: list[str] = field(default_factory=list)

    @property
    def always_sent(self) -> bool:
        """A browser sends it whatever the user does (its absence means a truncated body)."""
        return self.kind in ("input", "textarea") or (self.kind == "select" and bool(self.values))


@dataclass
class Form:
    action: str
    method: str
    controls: list[Control]

    def as_post(self, *, without: str | None = None) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for control in self.controls:
            if control.name == without:
                continue
            data.setdefault(control.name, []).extend(control.values)
        return data

    @property
    def names(self) -> set[str]:
        return {c.name for c in self.controls}

    def always_sent(self) -> list[str]:
        """The fields a browser always sends, once each, in page order."""
        seen, names = set(), []
        for control in self.controls:
            if control.always_sent and control.name not in seen:
                seen.add(control.name)
                names.append(control.name)
        return names


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Control | None = None
        self._select: Control | None = None
        self._select_first: str | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._template_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":  # a formset's empty row, cloned by a script: never sent as is
            self._template_depth += 1
            return
        if self._template_depth:
            return
        if tag == "form":
            self._form = Form(
                action=a.get("action") or "", method=(a.get("method") or "get").lower(), controls=[]
            )
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a or (not a.get("name") and tag != "option"):
            if tag == "option" and self._select is not None:
                self._start_option(a)
            return
        name = a.get("name")
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                control = Control(name, kind)
                if "checked" in a:
                    control.values.append(a.get("value", "on"))
                self._form.controls.append(control)
                return
            self._form.controls.append(Control(name, "input", [a.get("value", "")]))
        elif tag == "textarea":
            self._textarea = Control(name, "textarea", [""])
            self._form.controls.append(self._textarea)
        elif tag == "select":
            self._select = Control(name, "select")
            self._select.multiple = "multiple" in a
            self._select_first = None
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._start_option(a)

    def _start_option(self, a):
        self._option = (a.get("value"), "selected" in a)
        self._option_text = ""

    def _end_option(self):
        value, selected = self._option
        value = self._option_text.strip() if value is None else value
        if self._select_first is None:
            self._select_first = value
        if selected:
            self._select.values.append(value)
        self._option = None

    def handle_endtag(self, tag):
        if tag == "template":
            self._template_depth = max(0, self._template_depth - 1)
            return
        if self._template_depth:
            return
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._end_option()
            if not self._select.values and not self._select.multiple and self._select_first is not None:
                self._select.values.append(self._select_first)
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            # The first newline after <textarea> is not part of the value.
            text = self._textarea.values[0] + data
            self._textarea.values[0] = (
                text[1:] if text.startswith("\n") and not self._textarea.values[0] else text
            )
        elif self._option is not None:
            self._option_text += data


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def post_form(html: str, *, contains: str) -> Form:
    """The page's POST form that carries the field `contains` (e.g. « version »)."""
    candidates = [
        f for f in forms_of(html) if f.method == "post" and any(n.endswith(contains) for n in f.names)
    ]
    assert candidates, f"aucun formulaire POST avec le champ « {contains} »"
    return candidates[0]


def page_text(response) -> str:
    """The page as a reader sees its characters: Django escapes the apostrophes of French text
    (« n&#x27;a »), which a test compares with the sentence itself."""
    return html.unescape(response.content.decode())

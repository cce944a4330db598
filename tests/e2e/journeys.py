"""Steps shared by the browser journeys. Each step that lands on a new page audits it with
axe-core (`a11y.audit`), so a journey built from these steps checks accessibility on the way."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.a11y import audit


def goto(page: Page, path: str) -> None:
    """Opens a page and audits it."""
    page.goto(path)
    audit(page)


def login(page: Page, email: str, password: str) -> None:
    """Logs in through the login page (audited) and waits for the page it leads to (audited)."""
    goto(page, "/comptes/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile(r"/comptes/login/"))
    audit(page)


def logout(page: Page) -> None:
    page.context.clear_cookies()


def fill_contact(scope: Page | Locator, *, prenom: str, nom: str, fonction: str, email: str) -> None:
    """Fills the one contact (candidatures' ContactForm: prénom, nom, fonction, e-mail) inside
    `scope`, usually its fieldset, whatever the form prefix."""
    for field, value in (("prenom", prenom), ("nom", nom), ("fonction", fonction), ("email", email)):
        box = scope.locator(f'input[name$="-{field}"]')
        expect(box).to_have_count(1)
        box.fill(value)


def contact_fieldset(page: Page, legend: str | re.Pattern) -> Locator:
    """The fieldset whose legend contains `legend`."""
    return page.locator("main fieldset").filter(has=page.locator("legend", has_text=legend))


def tick(page: Page, field_id: str) -> None:
    """DSFR checkboxes and radios are drawn by their label, which takes the click."""
    page.locator(f'label[for="{field_id}"]').click()
    expect(page.locator(f"#{field_id}")).to_be_checked()


def start_candidature(page: Page, *, persona: str, intention: str) -> None:
    """On /gouvernance/ (signed in), chooses a persona and an intention and starts the form."""
    goto(page, "/gouvernance/")
    page.get_by_text(persona, exact=True).click()
    page.get_by_text(intention, exact=True).click()
    page.get_by_role("button", name="Commencer").click()
    expect(page).to_have_url(re.compile(r"/gouvernance/formulaire/"))
    audit(page)


# --- Keyboard only ------------------------------------------------------------------------

# The focused element, one of its pseudo-elements (the DSFR's enlarged links draw the ring on
# ::before), or the label that draws it (DSFR radios and checkboxes hide the input and draw it
# on the label) must show a focus ring: an outline or a box-shadow.
_FOCUS_RING_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "aucun élément n'a le focus";
    if (!el.matches(":focus-visible")) return "le focus n'est pas visible (:focus-visible)";
    const ring = (node, pseudo) => {
        const s = getComputedStyle(node, pseudo);
        return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
    };
    const candidates = [];
    for (const node of [el, ...(el.labels || [])]) {
        candidates.push([node, null], [node, "::before"], [node, "::after"]);
    }
    return candidates.some(([node, pseudo]) => ring(node, pseudo)) ? "" : "aucun contour de focus visible";
}"""


def expect_focus_visible(page: Page) -> None:
    problem = page.evaluate(_FOCUS_RING_JS)
    assert not problem, f"{problem} : {page.evaluate('() => document.activeElement.outerHTML.slice(0, 200)')}"


def press(page: Page, key: str, *, focused: Locator | None = None) -> None:
    """Presses a key; if `focused` is given, the focus must land on it, visibly."""
    page.keyboard.press(key)
    if focused is not None:
        expect(focused).to_be_focused()
        expect_focus_visible(page)


def tab_to(page: Page, target: Locator, *, max_presses: int = 60, key: str = "Tab") -> int:
    """Presses Tab (or Shift+Tab) until `target` has the focus; returns how many presses it took.
    Every element reached on the way must show its focus."""
    for presses in range(max_presses + 1):
        if target.evaluate("el => el === document.activeElement"):
            expect_focus_visible(page)
            return presses
        page.keyboard.press(key)
        if presses:
            expect_focus_visible(page)
    raise AssertionError(f"{target} jamais atteint après {max_presses} appuis sur {key}")


def choose_territoire(field: Locator, typed: str, suggestion: str | re.Pattern) -> None:
    """Types `typed` in a territory search field and clicks the suggestion named `suggestion`,
    as a user would; the field then shows the chosen collectivité's label."""
    field.fill(typed)
    listbox = field.page.locator(f"#{field.get_attribute('aria-controls')}")
    option = listbox.get_by_role("option", name=suggestion)
    expect(option).to_have_count(1)
    option.click()
    expect(listbox).to_be_hidden()

"""The desk suggests FOI for requests for access to documents, and not for press questions."""

import pytest

from enquiries.foi.detection import looks_like_foi

FOI_TEXTS = [
    "Innsynskrav i korrespondanse med departementet",
    "Jeg ber om innsyn i rapporten om beredskap",
    "Krav om innsyn i e-poster mellom direktoratet og WHO",
    "Begjæring om innsyn etter offentleglova",
    "Innsynsbegjæring: møtereferater fra mars",
    "Eg krev innsyn i dokumenta etter offentleglova § 3",
    "Viser til offentlighetsloven og ber om kopi av avtalen",
    "Innsynskravet gjelder saksnummer 2024/123",
    "insynskrav i rapporten",  # missing n
    "innsynskarv om vaksineavtalen",  # swapped letters
    "Innsynkrav: avtaler med leverandører",
    "ber om innsynn i postjournalen",
    "Etter offentlighetslova ber jeg om dokumentene",
    "FOI request for the pandemic preparedness plan",
    "This is a request for access to documents regarding WHO funding",
    "Under the Freedom of Information Act I ask for the minutes",
    "INNSYNSKRAV",
]

PRESS_TEXTS = [
    "Kan dere gi innsikt i hvordan veilederen ble laget?",
    "Spørsmål om testing for covid-19 i vinter",
    "Intervju om beredskapsrapporten etter 22. juli",
    "Hvor mange har fått diagnosen ME/CFS?",
    "Kan fagdirektøren stille i Dagsnytt 18?",
    "Vi ønsker en kommentar til tallene fra pasientregisteret",
    "How many doses did Norway donate to WHO?",
    "Innsikt og oversikt over ventetidene",
    "Offentlig helsetjeneste i Nord-Norge",
    "Request for an interview with the director",
    "Innsamling av data om legemiddelmangel",
    "",
]


@pytest.mark.parametrize("text", FOI_TEXTS)
def test_foi_phrasings_are_suggested(text):
    assert looks_like_foi(text)


@pytest.mark.parametrize("text", PRESS_TEXTS)
def test_ordinary_press_questions_are_not(text):
    assert not looks_like_foi(text)

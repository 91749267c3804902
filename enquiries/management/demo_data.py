"""The demo's cast and topics: Norwegian outlets and the questions a health agency gets.

Names and numbers are invented; the e-mail domains are the outlets' own so the desk looks real.
"""

CATEGORIES = [
    "Beredskap",
    "Covid-19",
    "Global helse",
    "Langvarig utmattelse / ME",
    "Legemidler",
    "Psykisk helse og rus",
    "Helsestatistikk",
]

OUTLETS = [
    ("VG", "newspaper"),
    ("Aftenposten", "newspaper"),
    ("Dagbladet", "newspaper"),
    ("Bergens Tidende", "newspaper"),
    ("Adresseavisen", "newspaper"),
    ("Stavanger Aftenblad", "newspaper"),
    ("Nordlys", "newspaper"),
    ("Klassekampen", "newspaper"),
    ("NRK", "broadcaster"),
    ("TV 2", "broadcaster"),
    ("P4", "broadcaster"),
    ("NTB", "agency"),
    ("Dagens Medisin", "online"),
    ("Nettavisen", "online"),
    ("Khrono", "online"),
    ("Frilans", "freelance"),
]

JOURNALISTS = [
    ("Ola", "Nordmann", "ola.nordmann@vg.no", "+47 400 33 431", "VG"),
    ("Kari", "Holm", "kari.holm@aftenposten.no", "+47 400 12 345", "Aftenposten"),
    ("Ingrid", "Solberg", "ingrid.solberg@nrk.no", "+47 415 22 901", "NRK"),
    ("Magnus", "Berg", "magnus.berg@tv2.no", "+47 922 10 448", "TV 2"),
    ("Sofie", "Lunde", "sofie.lunde@ntb.no", "+47 934 55 120", "NTB"),
    ("Jonas", "Haugen", "jonas.haugen@dagbladet.no", "+47 468 01 772", "Dagbladet"),
    ("Nora", "Eide", "nora.eide@bt.no", "+47 951 30 064", "Bergens Tidende"),
    ("Emil", "Strand", "emil.strand@adressa.no", "+47 482 77 310", "Adresseavisen"),
    ("Hanne", "Moen", "hanne.moen@aftenbladet.no", "+47 909 41 286", "Stavanger Aftenblad"),
    ("Sindre", "Kristiansen", "sindre.kristiansen@nordlys.no", "+47 473 64 019", "Nordlys"),
    ("Ida", "Bakken", "ida.bakken@dagensmedisin.no", "+47 926 88 503", "Dagens Medisin"),
    ("Thomas", "Aas", "thomas.aas@nettavisen.no", "+47 455 09 671", "Nettavisen"),
    ("Marte", "Johansen", "marte.johansen@khrono.no", "+47 986 23 340", "Khrono"),
    ("Eirik", "Dahl", "eirik.dahl@klassekampen.no", "+47 412 76 858", "Klassekampen"),
    ("Silje", "Nilsen", "silje.nilsen@p4.no", "+47 938 14 727", "P4"),
    ("Per", "Olsen", "per.olsen.frilans@gmail.com", "+47 480 52 196", "Frilans"),
]

CHANNELS = ["phone", "phone", "email", "email", "web_form", "social", "in_person"]

TOPICS = [
    (
        "Langvarig utmattelse / ME",
        "Høringen om den nasjonale veilederen for ME/CFS",
        "Når kommer den endelige veilederen, og hvordan er pasientorganisasjonenes innspill tatt med?",
    ),
    (
        "Langvarig utmattelse / ME",
        "Behandlingstilbud for unge med ME",
        "Hvor mange kommuner har et eget tilbud til barn og unge med langvarig utmattelse?",
    ),
    (
        "Beredskap",
        "Beredskapsrapporten etter 22. juli",
        "Hvilke av anbefalingene om helseberedskap er fulgt opp, og hva gjenstår?",
    ),
    (
        "Beredskap",
        "Lagre av legemidler og smittevernutstyr",
        "Hvor store beredskapslagre har Norge nå, og hvem har ansvaret for dem?",
    ),
    (
        "Beredskap",
        "Øvelse i helseberedskap neste måned",
        "Kan vi være til stede under øvelsen, og hvem kan intervjues?",
    ),
    (
        "Global helse",
        "Norges bidrag til WHO",
        "Hvor mye bidrar Norge med til WHO i år, og til hvilke programmer?",
    ),
    (
        "Global helse",
        "EU-samarbeid om helseberedskap",
        "Hva betyr det nye EU-samarbeidet om helsetrusler for Norge?",
    ),
    (
        "Covid-19",
        "Testing for covid-19 i vinter",
        "Hva er anbefalingene for testing i kommunene denne vinteren?",
    ),
    (
        "Covid-19",
        "Tall på innleggelser med covid-19",
        "Kan dere sende tall på innleggelser de siste tolv ukene, fordelt på fylke?",
    ),
    (
        "Covid-19",
        "Evaluering av koronahåndteringen",
        "Hvilke læringspunkter fra pandemien har direktoratet tatt inn i planverket?",
    ),
    (
        "Legemidler",
        "Mangel på antibiotika",
        "Hvor alvorlig er mangelen på antibiotika for barn, og hva gjøres?",
    ),
    (
        "Psykisk helse og rus",
        "Ventetider i psykisk helsevern for barn og unge",
        "Har ventetidene gått ned etter opptrappingsplanen?",
    ),
    (
        "Helsestatistikk",
        "Tall fra pasientregisteret",
        "Vi ønsker tall på fristbrudd per helseforetak for forrige kvartal.",
    ),
]

REPLIES = [
    "Takk for henvendelsen. Vedlagt finner du svar fra fagavdelingen.",
    "Vi viser til telefonsamtalen i dag og sender tallene som avtalt.",
    "Fagdirektøren kan stille til intervju i morgen mellom 10 og 12.",
    "Vi har ikke disse tallene, men Folkehelseinstituttet kan hjelpe deg.",
]

ENQUIRY_COUNT = 240

# Canned replies ("svarmaler") and the desk's signature, as an office would keep them.
CANNED_REPLIES = [
    (
        "Mottatt, svar kommer",
        "Hei {journalist_name},\n\nTakk for henvendelsen ({reference}). Vi ser på saken og "
        "kommer tilbake til deg så snart vi kan, senest innen fristen din.",
    ),
    (
        "Henvis til fagperson",
        "Hei {journalist_name},\n\nFagdirektøren kan svare på dette. Ring pressevakten, så "
        "avtaler vi et intervju.",
    ),
    (
        "Innsyn: send til postmottak",
        "Hei {journalist_name},\n\nDette er et innsynskrav etter offentleglova. Vi har sendt "
        "det videre til postmottaket, som journalfører og svarer deg.",
    ),
]
SIGNATURE = "Med vennlig hilsen\n{officer_name}\nPressevakten"

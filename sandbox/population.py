"""A large, deterministic, realistic candidate population for the sandbox (load and search testing).

``candidate_population(count, seed=...)`` yields StackOne Candidate bodies (the shape
``sandbox.store.serialize_candidate`` returns, custom_fields included) with names in several
scripts and with accents, 0–3 emails, phones in E.164 and national formats, company names
written several ways ("Acme Inc", "ACME, Inc."), and created/updated times spread over years.

Determinism: one ``random.Random(seed)`` drawn in a fixed order, and times computed from the
row's index (never "now"), so the same seed gives the same data on every machine, and the first
N candidates are the same whatever ``count`` is (``--candidates 1000`` then ``--candidates 2000``
yields the same first 1,000 ids and bodies). Ids are ``pop-<seed>-<index>``.
"""

from __future__ import annotations

import functools
import itertools
import random
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

DEFAULT_ACCOUNT_ID = "sbx-greenhouse"

# Candidate i is created at about START + i × STEP (plus a jitter below STEP, so the order holds);
# 100,000 candidates span about 3.8 years. Every TIE_EVERY-th candidate shares the previous one's
# created_at, so the (created_at, id) keyset order is exercised by ties.
START = datetime(2021, 3, 1, 8, 0, tzinfo=UTC)
STEP_SECONDS = 20 * 60
TIE_EVERY = 50
# No update is later than this (fixed, so the data does not depend on the day it is generated).
LATEST = datetime(2025, 11, 28, 18, 0, tzinfo=UTC)

# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae"})


def ascii_fold(text: str) -> str:
    """'Łukasz Żółć' → 'lukasz zolc': lower-case ASCII for email stems and URLs."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
    return folded.lower()


@functools.lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text) if ch.isalnum())


# --- people --------------------------------------------------------------------------------
# A locale: given names and family names as (native, romanised or None = fold the native),
# whether the family name comes first in the display name, the joiner, countries and weight.
# Russian and Polish family names are (masculine, feminine) pairs keyed by the given name's gender.


def _latin(names: str) -> list[tuple[str, None]]:
    """'Zoë|José' → [('Zoë', None), ('José', None)] (romanised by folding the accents away)."""
    return [(name, None) for name in names.split("|")]


def _split(items: str) -> list[tuple[str, ...]]:
    """'太郎:taro|花子:hanako' → [('太郎', 'taro'), ('花子', 'hanako')]."""
    return [tuple(item.split(":")) for item in items.split("|")]


LOCALES: list[dict[str, Any]] = [
    {
        "key": "en",
        "weight": 30,
        "given": _latin(
            "Margaret|James|Olivia|William|Emily|Thomas|Sophie|Daniel|Charlotte|Michael|Hannah|David|"
            "Jessica|Christopher|Sarah|Matthew|Lauren|Andrew|Rebecca|Joseph|Chloe|Ryan|Megan|Benjamin|"
            "Grace|Samuel|Amelia|Jack|Isabelle|Oliver|Katherine|Liam|Abigail|Noah|Eleanor|Ethan"
        ),
        "family": _latin(
            "Johnson|Smith|Williams|Brown|Jones|Taylor|Davies|Evans|Wilson|Thomas|Roberts|Walker|"
            "Wright|Robinson|Thompson|White|Hughes|Edwards|Green|Hall|Wood|Harris|Clarke|Jackson|"
            "Turner|Hill|Moore|Cooper|Ward|Morris|King|Baker|Harrison|Morgan|Patel|O'Brien|McDonald|"
            "Fitzgerald|Anderson-Smith"
        ),
        "countries": ["United Kingdom", "United States", "United States", "Canada", "Ireland", "Australia"],
    },
    {
        "key": "es",
        "weight": 9,
        "given": _latin(
            "José|María|Álvaro|Lucía|Sofía|Martín|Andrés|Inés|Raúl|Begoña|Íñigo|Concepción|Javier|"
            "Ramón|Núria|Sergio|Marta|Jesús|Ángela|Iván"
        ),
        "family": _latin(
            "Núñez|García|Fernández|González|Rodríguez|López|Martínez|Sánchez|Pérez|Gómez|Martín|"
            "Jiménez|Ruiz|Hernández|Díaz|Muñoz|Álvarez|Romero|Castaño|Ibáñez|García Márquez|Peña"
        ),
        "countries": ["Spain", "Spain", "Mexico", "Argentina"],
    },
    {
        "key": "pl",
        "weight": 5,
        "given": _split(
            "Łukasz:m|Małgorzata:f|Wojciech:m|Agnieszka:f|Paweł:m|Katarzyna:f|Michał:m|Zofia:f|"
            "Grzegorz:m|Joanna:f|Jędrzej:m|Żaneta:f"
        ),
        "family": _split(
            "Żółć:Żółć|Kowalski:Kowalska|Wiśniewski:Wiśniewska|Wójcik:Wójcik|Kamiński:Kamińska|"
            "Lewandowski:Lewandowska|Zieliński:Zielińska|Szymański:Szymańska|Dąbrowski:Dąbrowska|"
            "Mazur:Mazur|Król:Król|Sęk:Sęk"
        ),
        "gendered": True,
        "countries": ["Poland", "Poland", "Germany", "United Kingdom"],
    },
    {
        "key": "nordic",
        "weight": 5,
        "given": _latin("Zoë|Åsa|Björn|Søren|Märta|Øystein|Sigríður|Jörg|Annika|Linnéa|Mikael|Ása|Kåre"),
        "family": _latin(
            "Ångström|Andersson|Johansson|Kierkegård|Løvland|Sjöberg|Håkansson|Nordström|Jónsdóttir|"
            "Bäckström|Østergaard|Lindqvist"
        ),
        "countries": ["Sweden", "Sweden", "Denmark", "Norway"],
    },
    {
        "key": "de_fr",
        "weight": 8,
        "given": _latin(
            "François|Jürgen|Hélène|Günter|Amélie|Jérôme|Käthe|Björn|Léa|Maël|Élodie|Sébastien|"
            "Jürgen|Lukas|Anaïs|Frédéric|Clémence|Stefan|Chloé|Théo"
        ),
        "family": _latin(
            "Müller|Schröder|Lefèvre|Dubois|Weiß|Groß|Bézier|Fischer|Krüger|Lemaître|Durand|Schäfer|"
            "Rousseau|Meyer|Becker|Gaultier|Möller|Faure|Hoffmann|de La Fontaine|Müller-Lüdenscheidt"
        ),
        "countries": ["Germany", "Germany", "France", "France", "Switzerland", "Belgium"],
    },
    {
        "key": "ja",
        "weight": 6,
        "family_first": True,
        "joiner": " ",
        "given": _split(
            "太郎:taro|花子:hanako|翔太:shota|陽菜:hina|大輔:daisuke|さくら:sakura|健:ken|美咲:misaki|蓮:ren|結衣:yui"
        ),
        "family": _split(
            "山田:yamada|佐藤:sato|鈴木:suzuki|高橋:takahashi|田中:tanaka|伊藤:ito|渡辺:watanabe|中村:nakamura|"
            "小林:kobayashi|加藤:kato"
        ),
        "countries": ["Japan", "Japan", "Japan", "United States"],
    },
    {
        "key": "zh",
        "weight": 5,
        "family_first": True,
        "joiner": "",
        "given": _split(
            "伟:wei|芳:fang|娜:na|秀英:xiuying|敏:min|静:jing|小龙:xiaolong|建华:jianhua|丽:li|强:qiang"
        ),
        "family": _split("王:wang|李:li|张:zhang|刘:liu|陈:chen|杨:yang|黄:huang|赵:zhao|周:zhou|吴:wu"),
        "countries": ["China", "China", "Singapore", "Canada"],
    },
    {
        "key": "ru",
        "weight": 6,
        "given": _split(
            "Мария:maria:f|Иван:ivan:m|Анна:anna:f|Дмитрий:dmitry:m|Екатерина:ekaterina:f|"
            "Сергей:sergey:m|Ольга:olga:f|Алексей:alexey:m|Наталья:natalya:f|Михаил:mikhail:m|"
            "Юлия:yulia:f|Андрей:andrey:m"
        ),
        "family": _split(
            "Иванов:Иванова:ivanov|Смирнов:Смирнова:smirnov|Кузнецов:Кузнецова:kuznetsov|"
            "Попов:Попова:popov|Соколов:Соколова:sokolov|Лебедев:Лебедева:lebedev|"
            "Козлов:Козлова:kozlov|Новиков:Новикова:novikov|Морозов:Морозова:morozov|"
            "Волков:Волкова:volkov"
        ),
        "gendered": True,
        "countries": ["Germany", "Poland", "United Kingdom", "Netherlands"],
    },
    {
        "key": "ng",
        "weight": 6,
        "given": _latin(
            "Ngozi|Chinedu|Oluwaseun|Adaeze|Emeka|Funmilayo|Chukwuemeka|Yetunde|Babajide|Chiamaka|"
            "Tunde|Ifeoma|Obinna|Nneka|Adebayo|Kelechi"
        ),
        "family": _latin(
            "Okonkwo|Adeyemi|Okafor|Nwosu|Eze|Balogun|Oladipo|Chukwu|Obi|Adebayo-Williams|Okoro|"
            "Ogunleye|Nnamdi|Onyekachi"
        ),
        "countries": ["Nigeria", "Nigeria", "United Kingdom", "United States"],
    },
    {
        "key": "vi",
        "weight": 4,
        "family_first": True,
        "joiner": " ",
        "given": _latin("Văn An|Thị Hương|Minh Khôi|Thu Trang|Đức Anh|Ngọc Ánh|Quốc Bảo|Thị Lan|Hữu Phước"),
        "family": _latin("Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng"),
        "countries": ["Vietnam", "Vietnam", "Australia", "United States"],
    },
    {
        "key": "in",
        "weight": 7,
        "given": _latin(
            "Priya|Arjun|Ananya|Rohan|Kavya|Vikram|Aditi|Siddharth|Lakshmi|Rahul|Neha|Aarav|Deepika|Karthik"
        ),
        "family": _latin(
            "Sharma|Patel|Raghunathan|Iyer|Reddy|Gupta|Krishnan|Nair|Singh|Banerjee|Chatterjee|Menon|Rao"
        ),
        "countries": ["India", "India", "United Kingdom", "United States", "Singapore"],
    },
    {
        "key": "el",
        "weight": 2,
        "given": _split(
            "Ελένη:eleni|Γιώργος:giorgos|Μαρία:maria|Νίκος:nikos|Κατερίνα:katerina|Δημήτρης:dimitris"
        ),
        "family": _split(
            "Παπαδοπούλου:papadopoulou|Παπαδόπουλος:papadopoulos|Οικονόμου:oikonomou|"
            "Γεωργίου:georgiou|Νικολάου:nikolaou"
        ),
        "countries": ["Greece", "Greece", "Germany"],
    },
    {
        "key": "ar",
        "weight": 3,
        "given": _split(
            "نور:nour|محمد:mohamed|فاطمة:fatima|أحمد:ahmed|ليلى:layla|عمر:omar|يوسف:youssef|مريم:maryam"
        ),
        "family": _split(
            "الهدى:alhuda|حداد:haddad|المصري:almasri|خوري:khoury|النجار:alnajjar|عبد الله:abdullah"
        ),
        "countries": ["United Arab Emirates", "United Arab Emirates", "Egypt", "France"],
    },
    {
        "key": "ko",
        "weight": 3,
        "family_first": True,
        "joiner": "",
        "given": _split("민준:minjun|서연:seoyeon|지호:jiho|하은:haeun|도윤:doyoon|지우:jiwoo"),
        "family": _split("김:kim|이:lee|박:park|최:choi|정:jung|강:kang"),
        "countries": ["South Korea", "South Korea", "United States"],
    },
    {
        "key": "tr",
        "weight": 3,
        "given": _latin("Ayşe|Mehmet|Elif|Çağrı|Gülşen|Oğuz|İbrahim|Şule|Burak|Özge"),
        "family": _latin("Çelik|Yılmaz|Kaya|Demir|Şahin|Öztürk|Aydın|Doğan|Kılıç|Arslan"),
        "countries": ["Turkey", "Turkey", "Germany", "Netherlands"],
    },
]
_LOCALE_CUM_WEIGHTS = list(itertools.accumulate(locale["weight"] for locale in LOCALES))

# Countries → (E.164 country code, national trunk prefix, number generator, national formatter).
# Numbers are in ranges python-phonenumbers considers valid (mobile blocks mostly).


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10 ** (n - 1), 10**n))


PHONE_PLANS: dict[str, tuple[str, Any, Any]] = {
    # country: (calling code, national significant number from rng, national format of that number)
    "United Kingdom": (
        "44",
        lambda r: r.choice(["7400", "7480", "7770", "7903"]) + _digits(r, 6),
        lambda n: f"0{n[:4]} {n[4:]}",
    ),
    "Ireland": (
        "353",
        lambda r: "8" + r.choice("3567") + _digits(r, 7),
        lambda n: f"0{n[:2]} {n[2:5]} {n[5:]}",
    ),
    "United States": (
        "1",
        lambda r: r.choice(["202", "415", "646", "312"]) + "555" + f"01{r.randint(0, 99):02d}",
        lambda n: f"({n[:3]}) {n[3:6]}-{n[6:]}",
    ),
    "Canada": (
        "1",
        lambda r: r.choice(["416", "604"]) + "555" + f"01{r.randint(0, 99):02d}",
        lambda n: f"{n[:3]}-{n[3:6]}-{n[6:]}",
    ),
    "Australia": (
        "61",
        lambda r: "4" + r.choice(["12", "23", "00"]) + _digits(r, 6),
        lambda n: f"0{n[:3]} {n[3:6]} {n[6:]}",
    ),
    "Spain": ("34", lambda r: "6" + _digits(r, 8), lambda n: f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}"),
    "Mexico": ("52", lambda r: "55" + _digits(r, 8), lambda n: f"{n[:2]} {n[2:6]} {n[6:]}"),
    "Argentina": (
        "54",
        lambda r: "11" + r.choice("456") + _digits(r, 7),
        lambda n: f"0{n[:2]} {n[2:6]}-{n[6:]}",
    ),
    "Poland": (
        "48",
        lambda r: r.choice(["501", "601", "691", "781"]) + _digits(r, 6),
        lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",
    ),
    "Sweden": ("46", lambda r: "70" + _digits(r, 7), lambda n: f"0{n[:2]}-{n[2:5]} {n[5:7]} {n[7:]}"),
    "Denmark": (
        "45",
        lambda r: r.choice(["20", "30", "40"]) + _digits(r, 6),
        lambda n: f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}",
    ),
    "Norway": (
        "47",
        lambda r: r.choice(["40", "41", "46", "48", "90", "97"]) + _digits(r, 6),
        lambda n: f"{n[:3]} {n[3:5]} {n[5:]}",
    ),
    "Germany": (
        "49",
        lambda r: r.choice(["151", "160", "170", "176"]) + _digits(r, 8),
        lambda n: f"0{n[:3]} {n[3:]}",
    ),
    "France": (
        "33",
        lambda r: r.choice(["61", "62", "66", "67", "75", "77"]) + _digits(r, 7),
        lambda n: "0" + n[0] + " " + " ".join(n[i : i + 2] for i in range(1, 9, 2)),
    ),
    "Switzerland": (
        "41",
        lambda r: r.choice(["76", "78", "79"]) + _digits(r, 7),
        lambda n: f"0{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
    ),
    "Belgium": ("32", lambda r: "47" + _digits(r, 7), lambda n: f"0{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}"),
    "Netherlands": ("31", lambda r: "6" + r.choice("1245") + _digits(r, 7), lambda n: f"0{n[:1]}-{n[1:]}"),
    "Japan": (
        "81",
        lambda r: r.choice(["90", "80", "70"]) + _digits(r, 8),
        lambda n: f"0{n[:2]}-{n[2:6]}-{n[6:]}",
    ),
    "China": (
        "86",
        lambda r: r.choice(["138", "139", "186"]) + _digits(r, 8),
        lambda n: f"{n[:3]} {n[3:7]} {n[7:]}",
    ),
    "Singapore": (
        "65",
        lambda r: r.choice(["91", "96", "97", "98"]) + _digits(r, 6),
        lambda n: f"{n[:4]} {n[4:]}",
    ),
    "Nigeria": (
        "234",
        lambda r: r.choice(["803", "806", "813", "703"]) + _digits(r, 7),
        lambda n: f"0{n[:3]} {n[3:6]} {n[6:]}",
    ),
    "Vietnam": (
        "84",
        lambda r: r.choice(["91", "98", "90"]) + _digits(r, 7),
        lambda n: f"0{n[:2]} {n[2:5]} {n[5:]}",
    ),
    "India": ("91", lambda r: r.choice(["98", "99", "97"]) + _digits(r, 8), lambda n: f"0{n[:5]} {n[5:]}"),
    "Greece": (
        "30",
        lambda r: "69" + r.choice("4789") + _digits(r, 7),
        lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",
    ),
    "United Arab Emirates": (
        "971",
        lambda r: "5" + r.choice("0256") + _digits(r, 7),
        lambda n: f"0{n[:2]} {n[2:5]} {n[5:]}",
    ),
    "Egypt": ("20", lambda r: "1" + r.choice("0125") + _digits(r, 8), lambda n: f"0{n[:3]} {n[3:6]} {n[6:]}"),
    "South Korea": (
        "82",
        lambda r: "10" + r.choice("2378") + _digits(r, 7),
        lambda n: f"0{n[:2]}-{n[2:6]}-{n[6:]}",
    ),
    "Turkey": (
        "90",
        lambda r: "5" + r.choice(["32", "42", "55"]) + _digits(r, 7),
        lambda n: f"0{n[:3]} {n[3:6]} {n[6:8]} {n[8:]}",
    ),
}
PHONE_TYPES = ["mobile", "mobile", "mobile", "personal", "work", "home", "other"]

# Canonical company → how people actually type it into an ATS.
COMPANIES: list[list[str]] = [
    ["Acme Inc", "ACME, Inc.", "Acme Inc.", "acme inc", "Acme Incorporated", "ACME"],
    ["Globex Corporation", "Globex Corp.", "GLOBEX", "Globex"],
    ["Initech", "Initech LLC", "INITECH, LLC"],
    ["Umbrella Analytics Ltd", "Umbrella Analytics Limited", "Umbrella Analytics"],
    ["Hooli", "Hooli, Inc.", "Hooli Inc"],
    ["Stark Industries", "Stark Industries Inc.", "Stark Ind."],
    ["Wayne Enterprises", "Wayne Enterprises, Inc."],
    ["Müller & Söhne GmbH", "Mueller & Soehne GmbH", "Müller und Söhne"],
    ["Société Générale de Logiciels", "Societe Generale de Logiciels", "SGL"],
    ["株式会社サクラテック", "Sakura Tech K.K.", "SakuraTech"],
    ["Яндекс.Облако", "Yandex Cloud"],
    ["Northwind Traders", "Northwind Traders Ltd."],
    ["Contoso Ltd", "Contoso Ltd.", "Contoso"],
    ["Fabrikam, Inc.", "Fabrikam Inc", "Fabrikam"],
    ["Lagos Fintech Ltd", "Lagos FinTech Limited"],
    ["Tata Consultancy Services", "TCS", "Tata Consultancy Services Ltd."],
    ["Bäckerei Åström AB", "Backerei Astrom AB"],
    ["Vingroup JSC", "Vingroup"],
    ["Cyberdyne Systems", "Cyberdyne"],
    ["Aperture Science", "Aperture Science, Inc."],
]
TITLES = [
    "Software Engineer",
    "Senior Software Engineer",
    "Sr. Software Engineer",
    "Staff Engineer",
    "Principal Engineer",
    "Backend Developer",
    "Frontend Developer",
    "Full-Stack Developer",
    "Data Scientist",
    "Senior Data Analyst",
    "Machine Learning Engineer",
    "Product Manager",
    "Senior Product Manager",
    "Engineering Manager",
    "QA Analyst",
    "DevOps Engineer",
    "SRE",
    "UX Designer",
    "Product Designer",
    "Technical Recruiter",
    "Talent Partner",
    "Sales Executive",
    "Account Manager",
    "Customer Success Manager",
    "Marketing Manager",
    "HR Business Partner",
    "Financial Analyst",
    "Operations Lead",
    "CTO",
    "VP Engineering",
    "Développeur Python",
    "Softwareentwickler (m/w/d)",
    "ソフトウェアエンジニア",
    "Инженер-программист",
]
TAGS = [
    {"remote_id": "tag-gold", "name": "Gold Medalist"},
    {"remote_id": "tag-referral", "name": "Referral"},
    {"remote_id": "tag-silver", "name": "Silver Medalist"},
    {"remote_id": "tag-remote", "name": "Remote only"},
    {"remote_id": "tag-rehire", "name": "Rehire"},
]
PERSONAL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example", "post.example"]


def _person(rng: random.Random, locale: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """(first_name, last_name, display name, romanised first, romanised last)."""
    given = rng.choice(locale["given"])
    family = rng.choice(locale["family"])
    first = given[0]
    if locale.get("gendered"):
        if len(family) == 3:  # (masculine, feminine, romanised masculine)
            last = family[1] if given[-1] == "f" else family[0]
            last_rom = family[2] + ("a" if given[-1] == "f" else "")
        else:  # Polish: (masculine, feminine), romanised by folding
            last = family[1] if given[-1] == "f" else family[0]
            last_rom = None
        first_rom = given[1] if len(given) == 3 else None
    else:
        last, first_rom, last_rom = family[0], given[1], family[1]
    first_rom = first_rom or _slug(first)
    last_rom = last_rom or _slug(last)
    if locale.get("family_first"):
        display = f"{last}{locale['joiner']}{first}"
    else:
        display = f"{first} {last}"
    return first, last, display, _slug(first_rom), _slug(last_rom)


def _emails(rng: random.Random, first: str, last: str, index: int, company: str | None) -> list[dict]:
    """0–3 addresses; the personal one carries the index so addresses stay (nearly) unique."""
    roll = rng.random()
    count = 0 if roll < 0.05 else 1 if roll < 0.55 else 2 if roll < 0.9 else 3
    pattern = rng.randrange(4)
    stem = [f"{first}.{last}", f"{first}{last[:1]}", f"{first[:1]}{last}", f"{last}_{first}"][pattern]
    emails = []
    if count >= 1:
        emails.append({"type": "personal", "value": f"{stem}{index}@{rng.choice(PERSONAL_DOMAINS)}"})
    if count >= 2:
        domain = f"{_slug(company)[:20] or 'work'}.example" if company else "work.example"
        emails.append({"type": "work", "value": f"{first}.{last}@{domain}"})
    if count >= 3:
        emails.append({"type": "other", "value": f"{last}.{first}.{index}@alumni.example.edu"})
    if emails and rng.random() < 0.08:
        # Some ATSs keep the address as typed.
        emails[0]["value"] = emails[0]["value"][:1].upper() + emails[0]["value"][1:]
    return emails


def _phones(rng: random.Random, country: str) -> list[dict]:
    roll = rng.random()
    count = 0 if roll < 0.15 else 1 if roll < 0.75 else 2 if roll < 0.95 else 3
    code, number, national = PHONE_PLANS[country]
    phones = []
    for _ in range(count):
        nsn = number(rng)
        style = rng.random()
        if style < 0.55:
            text = f"+{code}{nsn}"  # E.164
        elif style < 0.85:
            text = national(nsn)  # as dialled at home
        else:
            text = f"+{code} {national(nsn).removeprefix('0')}"  # international, spaced
        phones.append({"type": rng.choice(PHONE_TYPES), "phone": text})
    return phones


def _socials(rng: random.Random, first: str, last: str) -> list[dict]:
    links = []
    if rng.random() < 0.6:
        links.append(
            {"type": "linkedin", "url": f"https://www.linkedin.com/in/{first}-{last}-{rng.randrange(10**4)}"}
        )
    if rng.random() < 0.15:
        links.append({"type": "github", "url": f"https://github.com/{first}{last}"})
    if rng.random() < 0.05:
        links.append({"type": "website", "url": f"https://{first}{last}.example.net"})
    return links


def _times(index: int, rng: random.Random) -> tuple[datetime, datetime]:
    def created(i: int) -> datetime:
        return START + timedelta(seconds=i * STEP_SECONDS + (i * 7919) % STEP_SECONDS)

    created_at = created(index - 1 if index % TIE_EVERY == 0 else index)
    roll = rng.random()
    if roll < 0.3:
        updated_at = created_at  # never edited
    else:
        updated_at = created_at + timedelta(seconds=int(rng.expovariate(1 / (60 * 86400))) + 1)
    return created_at, min(max(updated_at, created_at), max(LATEST, created_at))


def _iso(value: datetime) -> str:
    # isoformat is several times faster than strftime (this runs twice per candidate).
    return value.isoformat(timespec="seconds")[:19] + ".000Z"


def candidate_id_for(index: int, *, seed: int = 0) -> str:
    """The id of the index-th generated candidate (1-based)."""
    return f"pop-{seed}-{index:07d}"


def candidate_population(
    count: int, *, seed: int = 0, account_id: str = DEFAULT_ACCOUNT_ID
) -> Iterator[dict[str, Any]]:
    """Yield ``count`` Candidate bodies (ids ``pop-<seed>-0000001`` …), oldest first.

    ``account_id`` goes into remote ids and application ids so two accounts seeded with the same
    seed do not look like copies. Same arguments → same bodies, byte for byte.
    """
    rng = random.Random(f"{seed}:{account_id}")
    account_slug = _slug(account_id)[:12] or "acct"
    for index in range(1, count + 1):
        locale = rng.choices(LOCALES, cum_weights=_LOCALE_CUM_WEIGHTS)[0]
        first, last, display, first_rom, last_rom = _person(rng, locale)
        country = rng.choice(locale["countries"])
        company = rng.choice(rng.choice(COMPANIES)) if rng.random() < 0.8 else None
        emails = _emails(rng, first_rom, last_rom, index, company)
        phones = _phones(rng, country)
        app_count = rng.choice((0, 1, 1, 1, 2, 3))
        created_at, updated_at = _times(index, rng)
        candidate_id = candidate_id_for(index, seed=seed)
        yield {
            "id": candidate_id,
            "remote_id": f"{account_slug}-{seed}-{index + 100000}",
            "unified_custom_fields": None,
            "name": display,
            "first_name": first,
            "last_name": last,
            "email": emails[0]["value"] if emails else None,
            "emails": emails,
            "social_links": _socials(rng, first_rom, last_rom),
            "phone": None,
            "phone_numbers": phones,
            "company": company,
            "title": rng.choice(TITLES) if rng.random() < 0.85 else None,
            "application_ids": [f"app-{candidate_id}-{n}" for n in range(1, app_count + 1)],
            "remote_application_ids": [f"{account_slug}-app-{index}-{n}" for n in range(1, app_count + 1)],
            "hired_at": _iso(updated_at) if rng.random() < 0.04 else None,
            "country": country,
            "custom_fields": [],
            "tags": rng.sample(TAGS, 1) if rng.random() < 0.15 else [],
            "created_at": _iso(created_at),
            "updated_at": _iso(updated_at),
        }

"""Generate a realistic netvault vault of N contacts, the same bytes for the same seed.

    python benchmarks/make_vault.py 10000 --seed 1 --out /tmp/vault-10000

Each contact note is about 2 KB: front-matter with names (some non-ASCII), aliases, ties
(numbers and labels), dates, consent written as bare YAML yes/no, relationships, lists to match
introductions on; a body with a few facts, a log of interactions over several years (channels,
favours, wikilinks to other people) and follow-ups with due dates. Daily notes (one for every
ten contacts) mention people, and a handful of links point at nobody, as in a real vault.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

FIRST = [
    "Ada",
    "Ben",
    "Cleo",
    "Dana",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Kenji",
    "Laura",
    "Malik",
    "Nina",
    "Owen",
    "Priya",
    "Quinn",
    "Raj",
    "Sofia",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "José",
    "Françoise",
    "Søren",
    "Łukasz",
    "Ngọc",
    "Ayşe",
    "Björn",
    "Chloé",
    "Dmitri",
    "Émile",
    "Fatima",
    "Gustavo",
    "Hanne",
    "İlkay",
    "Jürgen",
    "Kalani",
    "Lucía",
    "Märta",
    "Nkechi",
    "Oğuz",
    "Paulo",
    "Renée",
    "Siobhán",
    "Thảo",
    "Ulrike",
    "Valentina",
    "Wojciech",
    "Xiao",
    "Yolanda",
    "Zeynep",
    "Amara",
    "Bashir",
    "Camille",
    "Diego",
    "Esther",
    "Felix",
    "Giulia",
    "Hamza",
    "Ingrid",
    "Javier",
    "Kofi",
    "Leila",
    "Mateo",
    "Noor",
    "Olga",
    "Pavel",
    "Rosa",
    "Santiago",
    "Teresa",
    "Ugo",
    "Vera",
    "Wanjiru",
    "Yara",
    "Zainab",
    "Andrés",
    "Beatriz",
    "Carmen",
    "Dário",
    "Eitan",
    "Freya",
]
LAST = [
    "Okafor",
    "Carter",
    "Lee",
    "Rossi",
    "Haddad",
    "Watanabe",
    "Mbeki",
    "Johnson",
    "Alvarez",
    "Park",
    "Natarajan",
    "Hussain",
    "Dubois",
    "Santos",
    "Novak",
    "Bell",
    "Kowalski",
    "Fletcher",
    "Laurent",
    "Patel",
    "Brooks",
    "Wright",
    "Garcia",
    "Nuñez",
    "Müller",
    "Østergaard",
    "Wiśniewski",
    "Nguyễn",
    "Yılmaz",
    "Björklund",
    "Lefèvre",
    "Ivanova",
    "Ferreira",
    "Andersen",
    "Schäfer",
    "Kahananui",
    "Fernández",
    "Öberg",
    "Adeyemi",
    "Çelik",
    "Costa",
    "Moreau",
    "Ó-Briain",
    "Trần",
    "Köhler",
    "Bianchi",
    "Nowak",
    "Zhang",
    "Rodríguez",
    "Achebe",
    "Silva",
    "Kim",
    "Cohen",
    "Jensen",
    "Romero",
    "Mendes",
    "Takahashi",
    "Sato",
    "Khan",
    "Ahmed",
    "Hernández",
    "López",
    "Martin",
    "Dupont",
    "Horvat",
    "Kovač",
    "Popescu",
    "Nagy",
    "Svensson",
    "Virtanen",
    "Murphy",
    "Kelly",
    "Walsh",
    "Byrne",
    "Ryan",
    "Obi",
    "Eze",
    "Mensah",
    "Boateng",
    "Diallo",
    "Traoré",
    "Keita",
    "Banda",
    "Phiri",
    "Moyo",
]
COMPANIES = [
    "Contoso Cloud",
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Analytics",
    "Wayne Logistics",
    "Acme Robotics",
    "Hooli",
    "Pied Piper",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Data",
    "Cyberdyne",
    "Massive Dynamic",
    "Oscorp Bio",
    "Aperture Labs",
    "Black Mesa Research",
    "Gringotts Fintech",
    "Monsters Inc",
]
ROLES = [
    "Data Engineer",
    "Engineering Manager",
    "Staff Engineer",
    "Recruiter",
    "Product Manager",
    "CTO",
    "Head of Data",
    "Analytics Lead",
    "Designer",
    "Founder",
    "VP Engineering",
    "Talent Partner",
    "Machine Learning Engineer",
    "Developer Advocate",
    "Site Reliability Engineer",
    "Consultant",
]
CITIES = [
    "Berlin",
    "Lisbon",
    "Paris",
    "London",
    "Amsterdam",
    "Madrid",
    "Warsaw",
    "Stockholm",
    "Zürich",
    "München",
    "Kraków",
    "São Paulo",
    "Toronto",
    "New York",
    "Lagos",
    "Nairobi",
    "Tokyo",
    "Seoul",
    "Hà Nội",
    "İstanbul",
    "Remote",
]
TIES = ("1", "2", "3", "4", "5", "acquaintance", "contact", "knows-my-work", "trusted")
TIE_WEIGHTS = (30, 30, 18, 8, 1, 4, 4, 3, 2)
RELATIONSHIPS = [
    "former-colleague",
    "colleague",
    "friend",
    "client",
    "mentor",
    "mentee",
    "recruiter",
    "event",
    "family",
]
TOPICS = [
    "data platforms",
    "hiring",
    "interview practice",
    "streaming",
    "dbt",
    "Kubernetes",
    "career change",
    "public speaking",
    "open source",
    "fundraising",
    "machine learning",
    "product strategy",
    "mentoring",
    "remote teams",
    "salary negotiation",
    "system design",
    "climbing",
    "running",
    "jazz",
    "photography",
]
CHANNELS = ("in person", "call", "video", "email", "message", "event", None)
CHANNEL_WEIGHTS = (3, 3, 3, 2, 2, 1, 2)
SENTENCES = (
    "Met at a meetup about stream processing; sharp questions about late events.",
    "Runs a small team and is always hiring people who write things down.",
    "Prefers short messages; answers within a day, never on weekends.",
    "We worked on the ingestion rewrite together; generous with credit.",
    "Knows everyone in the Berlin data scene and likes making introductions.",
    "Moved from consulting into product last year and is still finding her feet.",
    "Wrote the best post-mortem I have ever read; ask about the outage in 2021.",
    "Organises the monthly reading group; the next one is about query planners.",
    "Two kids, a dog called Pixel, and an allotment that takes every Saturday.",
    "Careful reviewer; will find the edge case you hoped nobody would notice.",
)
LOG_TEXT = (
    "coffee, talked about {topic}",
    "long call about {topic} and what comes next",
    "lunch near the office; swapped notes on {topic}",
    "sent me a job post for a {role} role at {company}",
    "reviewed my CV and suggested cutting the first page",
    "introduced me to {link}, who works on {topic}",
    "quick catch-up after the conference talk on {topic}",
    "helped with a reference for {link}",
    "shared slides from the {topic} workshop",
    "dinner with {link} and the team; mostly about {topic}",
)
TASK_TEXT = (
    "send the write-up on {topic}",
    "ask about the {role} opening",
    "introduce to {link}",
    "book a coffee next month",
    "share the {topic} reading list",
)
MARKER = ".netvault-benchmark-vault"
START = date(2015, 1, 1)
END = date(2026, 11, 20)


def fold(text: str) -> str:
    """Case- and accent-insensitive, as netvault compares names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def unique_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    middles = "ABCDEFGHJKLMNPRSTVW"
    while len(names) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        if fold(name) in seen:
            name = f"{first} {rng.choice(middles)}. {last}"
        if fold(name) in seen:
            name = f"{first} {last} {len(names)}"
        seen.add(fold(name))
        names.append(name)
    return names


def day_between(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randrange(max(1, (high - low).days)))


def yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def contact_note(rng: random.Random, name: str, names: list[str], aliases: set[str]) -> str:
    first, last = name.split(" ", 1)
    first_met = day_between(rng, START, date(2026, 6, 1))
    log_days = sorted(day_between(rng, first_met, END) for _ in range(rng.randrange(3, 15)))
    company, role = rng.choice(COMPANIES), rng.choice(ROLES)
    lines = ["---", f"name: {name}"]
    nickname = f"{first} {last[0]}."
    if rng.random() < 0.3 and fold(nickname) not in aliases:
        aliases.add(fold(nickname))
        lines.append(f"aliases: [{nickname}]")
    tags = rng.sample(["python", "data", "berlin", "hiring", "oss", "meetup", "linkedin"], 2)
    lines += [
        f"tags: {yaml_list(tags)}",
        f"tie: {rng.choices(TIES, TIE_WEIGHTS)[0]}",
        f"first_met: {first_met.isoformat()}",
        f"last_met: {log_days[-1].isoformat()}",
        f"met_in_person: {rng.choice(['true', 'false', 'yes'])}",
        f"relationship: {yaml_list(rng.sample(RELATIONSHIPS, rng.randrange(1, 3)))}",
        f"company: {company}",
        f"role: {role}",
        f"location: {rng.choice(CITIES)}",
        f"email: {first.lower()}.{rng.randrange(100, 999)}@example.com",
        f'phone: "+49 30 555{rng.randrange(10000, 99999)}"',
        "links:",
        f"  - https://www.linkedin.com/in/example-{rng.randrange(10**6, 10**7)}",
    ]
    if rng.random() < 0.4:
        lines.append(f"cadence: {rng.choice(['30d', '6w', '3m', '1y'])}")
    lines += [
        "consent:",
        f"  share-contact: {rng.choice(['yes', 'ask', 'no'])}",
        f"  introductions: {rng.choice(['yes', 'ask', 'no'])}",
    ]
    if rng.random() < 0.2:
        lines.append(f'introduced_by: "[[{rng.choice(names)}]]"')
    lines += [
        f"offers: {yaml_list(rng.sample(TOPICS, 2))}",
        f"needs: {yaml_list(rng.sample(TOPICS, 1))}",
        f"interests: {yaml_list(rng.sample(TOPICS, 3))}",
    ]
    if rng.random() < 0.3:
        birthday = day_between(rng, date(1960, 1, 1), date(2000, 12, 31))
        shown = birthday.isoformat() if rng.random() < 0.5 else f'"--{birthday:%m-%d}"'
        lines.append(f"birthday: {shown}")
    if rng.random() < 0.3:
        lines.append(f"pronouns: {rng.choice(['she/her', 'he/him', 'they/them'])}")
    if rng.random() < 0.5:
        lines.append(f"source: linkedin\nconnected_on: {day_between(rng, START, END)}")
    lines += ["---", f"# {name}", ""]
    lines.append(" ".join(rng.sample(SENTENCES, 4)))
    lines.append("")
    lines += [f"- {rng.choice(SENTENCES)}" for _ in range(3)]
    lines += ["", "## Log"]
    for day in log_days:
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        text = rng.choice(LOG_TEXT).format(
            topic=rng.choice(TOPICS),
            role=rng.choice(ROLES).lower(),
            company=rng.choice(COMPANIES),
            link=f"[[{rng.choice(names)}]]",
        )
        favour = rng.choices(["", " #gave", " #got"], (8, 1, 1))[0]
        shown = f"({channel}) " if channel else ""
        lines.append(f"- {day.isoformat()} {shown}{text}{favour}")
    lines += ["", "## Follow-ups"]
    for _ in range(rng.randrange(1, 4)):
        text = rng.choice(TASK_TEXT).format(
            topic=rng.choice(TOPICS), role=rng.choice(ROLES), link=f"[[{rng.choice(names)}]]"
        )
        done = rng.random() < 0.4
        due = (
            f" 📅 {day_between(rng, date(2026, 6, 1), date(2027, 3, 1))}"
            if rng.random() < 0.6
            else ""
        )
        lines.append(f"- [{'x' if done else ' '}] {text}{due}")
    return "\n".join(lines) + "\n"


def daily_note(rng: random.Random, day: date, names: list[str]) -> str:
    lines = [f"# {day:%A %d %B %Y}", ""]
    for _ in range(rng.randrange(1, 5)):
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        shown = f"({channel}) " if channel else ""
        lines.append(f"- {shown}with [[{rng.choice(names)}]] about {rng.choice(TOPICS)}")
    if rng.random() < 0.3:
        lines.append(f"- [ ] follow up with [[{rng.choice(names)}]] 📅 {day + timedelta(days=7)}")
    lines.append("")
    lines.append("Notes: " + " ".join(rng.sample(SENTENCES, 2)))
    return "\n".join(lines) + "\n"


def make_vault(count: int, seed: int, out: Path) -> int:
    """Write the vault; the number of daily notes."""
    rng = random.Random(seed)
    names = unique_names(rng, count)
    if out.exists():
        if not (out / MARKER).is_file():
            raise SystemExit(f"{out} exists and was not made by make_vault.py; not replacing it")
        shutil.rmtree(out)
    (out / ".obsidian").mkdir(parents=True)
    (out / MARKER).write_text(f"{count} {seed}\n")
    (out / ".obsidian" / "app.json").write_text("{}\n")
    (out / "people").mkdir()
    (out / "daily").mkdir()
    (out / ".gitignore").write_text(".obsidian/workspace.json\n")
    aliases: set[str] = {fold(n) for n in names}
    for name in names:
        text = contact_note(rng, name, names, aliases)
        (out / "people" / f"{name}.md").write_bytes(text.encode("utf-8"))
    days = sorted({day_between(rng, date(2024, 1, 1), END) for _ in range(max(1, count // 10))})
    for day in days:
        (out / "daily" / f"{day.isoformat()}.md").write_bytes(
            daily_note(rng, day, names).encode("utf-8")
        )
    # A real vault has a few links to people never written up.
    for number in range(max(1, count // 2000)):
        note = out / "people" / f"{names[number * 7 % count]}.md"
        with note.open("a", encoding="utf-8") as handle:
            handle.write(f"- [ ] ask about [[Someone Unwritten {number}]]\n")
    return len(days)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("count", type=int, help="how many contacts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder to (re)create (default ./vault-N-sS)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    out = args.out or Path(f"vault-{args.count}-s{args.seed}")
    dailies = make_vault(args.count, args.seed, out)
    print(f"{out}: {args.count} contacts and {dailies} daily notes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The Markdown pipeline's engine: one per thread, and a plain-text fast path
that renders exactly what the full pipeline renders."""

import random
import threading

import pytest

from community import markup
from community.markup import render

# Characters of chat messages, and (rarer) every one the fast path must refuse.
PLAIN = "aAbzäöüßÄéЖ1290 ,;:?!'\"()%€$§/@.-\n👍🎉"
MARKUP = "*_`[]#>|~+=<&\\{}\t\r❤️\u0301\x00"
TRICKY = [
    "Hallo Welt",
    "Hallo\nWelt",
    "Erster Absatz\n\nZweiter Absatz",
    "Ende.",
    "z.B. morgen",
    "1. Punkt",
    "Text\n2. Punkt",
    "Treffen um 14:30. Danach Pause",
    "Version 3.5",
    "2026",
    "E-Mail an Anna",
    "- Punkt",
    "a--b",
    "Siehe example.org heute",
    "www.example.org",
    "Bitte (bis 12:30) zurückrufen!",
    "Er sagte \"ja\" und 'nein'",
    "50% für 3€, §4",
    "anna@example.org",
    "Daumen 👍 hoch",
    "Text\n    eingerückt",
    "Zeile  mit zwei Leerzeichen",
    "Titel\n===",
    "Titel\n---",
    "> Zitat",
    "# Überschrift",
    "a\n\n\nb",
    "https://example.org",
    "A & B",
    "@**Anna Beispiel**",
]


def full_pipeline(source: str) -> str:
    """What render() produced before the fast path existed."""
    return markup._engine().convert(source)


@pytest.mark.parametrize("source", TRICKY)
def test_plain_text_renders_exactly_as_the_full_pipeline(db, source):
    assert render(source).html == full_pipeline(source)


def test_generated_text_renders_alike_on_both_paths(db):
    chooser = random.Random(17)  # noqa: S311 - reproducible test data
    plain = 0
    for _ in range(3000):
        length = chooser.randint(1, 30)
        source = "".join(
            chooser.choice(PLAIN if chooser.random() < 0.97 else MARKUP)
            for _ in range(length)
        ).strip()
        if "@**" in source:
            continue
        fast = markup._plain_html(source)
        if fast is not None:
            plain += 1
            assert fast == full_pipeline(source), repr(source)
    # The alphabet is mostly plain characters: the fast path must be taken
    # often enough for the comparison to mean something.
    assert plain > 300


def test_generated_sentences_take_the_fast_path_and_render_alike(db):
    chooser = random.Random(4)  # noqa: S311 - reproducible test data
    words = ["Guten", "Morgen", "Bürgerbus", "heute", "E-Mail", "14:30", "ja"]
    endings = [".", "!", "?", ",", ""]
    for _ in range(500):
        lines = [
            " ".join(chooser.choice(words) for _ in range(chooser.randint(1, 6)))
            + chooser.choice(endings)
            for _ in range(chooser.randint(1, 4))
        ]
        source = chooser.choice(["\n", "\n\n"]).join(lines)
        assert markup._plain_html(source) is not None, repr(source)
        assert render(source).html == full_pipeline(source), repr(source)


def test_every_thread_renders_with_an_engine_of_its_own(db):
    engines = []

    def note_engine() -> None:
        engines.append(markup._engine())

    threads = [threading.Thread(target=note_engine) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    note_engine()
    note_engine()

    assert len({id(engine) for engine in engines[:4]}) == 4
    assert engines[3] is engines[4]


def test_concurrent_renders_in_many_threads_give_the_sequential_results(db):
    sources = [
        f"**Fett {n}** und [Link](https://example.org/{n})\n\n- a\n- b {n}\n\n"
        f"| x | y |\n|---|---|\n| {n} | <script>{n}</script> |"
        for n in range(40)
    ]
    expected = [render(source).html for source in sources]
    results: dict[int, list[str]] = {}

    def render_all(worker: int) -> None:
        results[worker] = [render(source).html for source in sources * 3]

    threads = [threading.Thread(target=render_all, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for worker in range(6):
        assert results[worker] == expected * 3

"""PNG plots for docs/benchmarks.md (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path


def draw(results: dict, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    if results["suite"] == "ws":
        return [
            _ws(results, shape, folder, n) for n, shape in enumerate(results["shapes"])
        ]
    if results["suite"] == "forum":
        return [_forum(results, folder)]
    return []


def _ws(results: dict, shape: dict, folder: Path, number: int) -> Path:
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4.5))
    for run in shape["runs"]:
        points = sorted((s["offered"], s["p99_ms"]) for s in run["steps"])
        axis.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            marker="o",
            label=run["label"],
        )
    axis.axhline(100, color="grey", linestyle="--", linewidth=0.8)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("offered deliveries/s")
    axis.set_ylabel("p99 latency, ms")
    axis.set_title(f"Chat fan-out, {shape['shape']} ({results.get('size')})")
    axis.legend(fontsize=7)
    path = folder / f"ws-{number}.png"
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def _forum(results: dict, folder: Path) -> Path:
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4.5))
    labels, values = [], []
    for shape in results["deployments"]:
        for page in shape["pages"]:
            labels.append(f"{shape['label']}\n{page['page']}")
            values.append(page["rps"])
    axis.barh(labels, values)
    axis.set_xlabel("requests/s")
    axis.tick_params(axis="y", labelsize=6)
    axis.set_title(f"Thread pages and reference ({results.get('size')})")
    path = folder / "forum.png"
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path

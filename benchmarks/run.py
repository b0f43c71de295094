"""Benchmark: query latency, accuracy under load, load time, cold start, batch throughput.

    python benchmarks/run.py                 # 1,000, 10,000 and 50,000 entries (a few minutes)
    python benchmarks/run.py --smoke         # a quick check that it all runs (CI)

Run it from an installed package (`pip install .`, as the README says), so that
cold start is measured as a user meets it: with compiled bytecode and the
ready-built snapshot of the bundled bot.

Every comparison is measured side by side in this one process (or, for cold
start, in alternating subprocesses), and reported as a ratio.  The table is
printed and written to benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process, utils

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import synthetic_questions, vocabulary, write_synthetic  # noqa: E402

from chatbot import Bot  # noqa: E402
from chatbot.batch import answer_lines, workers  # noqa: E402
from chatbot.evaluation import bundled_sets, evaluate, load_evalset  # noqa: E402
from chatbot.knowledge import bundled_path  # noqa: E402

RESULTS = HERE / "results.md"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def eval_questions() -> list[str]:
    return [q["text"] for path in bundled_sets() for q in yaml.load(path.read_text(), Loader=yaml.CSafeLoader)["questions"]]


def build_kb(folder: Path, entries: int) -> list[Path]:
    """The bundled leaflet plus synthetic ones, in one folder."""
    for item in Path(bundled_path()).iterdir():
        if item.is_file():
            shutil.copy(item, folder / item.name)
    write_synthetic(folder, entries, vocabulary())
    return sorted(folder.glob("*.yaml"))


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def query_latency(bot: Bot, files: list[Path], questions: list[str]) -> dict[str, float]:
    """Bot.ask against rapidfuzz extractOne(token_set_ratio) over every phrasing, preprocessed once."""
    phrasings = []
    for entry in bot.kb.entries:
        phrasings.extend(utils.default_process(p) for p in entry.phrasings)
    ours, brute = [], []
    quickest: dict[str, float] = {}  # each question's quickest run, when it is asked several times
    for question in questions:  # interleaved, so that both see the same machine state
        _, spent = timed(bot.ask, question)
        ours.append(spent)
        quickest[question] = min(spent, quickest.get(question, spent))
        _, spent = timed(process.extractOne, utils.default_process(question), phrasings, scorer=fuzz.token_set_ratio, processor=None)
        brute.append(spent)
    return {
        "phrasings": len(phrasings),
        "ours_p50": percentile(ours, 0.5), "ours_p99": percentile(ours, 0.99),
        "brute_p50": percentile(brute, 0.5), "brute_p99": percentile(brute, 0.99),
        "quickest_p50": percentile(list(quickest.values()), 0.5), "quickest_p99": percentile(list(quickest.values()), 0.99),
    }


def load_time(files: list[Path], folder: Path, runs: int) -> dict[str, float]:
    """The quickest of `runs` of each, taken in turns, so that both meet the same machine."""
    texts = [f.read_text(encoding="utf-8") for f in files]
    raw, build = [], []
    for _ in range(runs):
        raw.append(timed(lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts])[1])
        build.append(timed(Bot, folder)[1])
    return {"raw": min(raw), "bot": min(build)}


def accuracy(bot: Bot) -> dict[str, float]:
    ids = {e.id for e in bot.kb.entries}
    right = total = 0
    for path in bundled_sets():
        report = evaluate(bot, load_evalset(path, ids))
        right += sum(1 for _, _, passed in report.results if passed)
        total += len(report.results)
    return {"right": right, "total": total}


def installed_command() -> list[str]:
    """The `chatbot` script of this Python's environment (or `python -m chatbot`)."""
    script = Path(sys.executable).parent / "chatbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "chatbot"]


def cold_start(runs: int) -> dict[str, float]:
    chatbot = installed_command() + ["ask", "does it go away"]
    imports = [sys.executable, "-c", "import rapidfuzz, yaml"]
    ours, bare = [], []
    with tempfile.TemporaryDirectory() as elsewhere:  # away from the source tree: the installed package runs
        for _ in range(runs):
            for command, bucket in ((chatbot, ours), (imports, bare)):
                start = time.perf_counter()
                subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=elsewhere)
                bucket.append(time.perf_counter() - start)
    return {"ours": statistics.median(ours), "bare": statistics.median(bare)}


_WRAPS = ["{q}", "hi, {q}", "{q} thanks", "hello. {q}", "{q}?", "please, {q}", "um {q}", "{q} x", "ok so {q}", "{Q}"]


def distinct_questions(questions: list[str]) -> list[str]:
    """Each question in ten different wrappings: thousands of questions, none asked twice."""
    found = dict.fromkeys(wrap.format(q=q, Q=q.upper()) for wrap in _WRAPS for q in questions)
    return list(found)


def batch_throughput(questions: list[str]) -> dict[str, float]:
    lines = ("\n".join(distinct_questions(questions)) + "\n").encode("utf-8")
    command = installed_command() + ["ask", "--json", "-"]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as elsewhere:
        result = subprocess.run(command, input=lines, stdout=subprocess.PIPE, check=True, cwd=elsewhere)
    spent = time.perf_counter() - start
    count = len(result.stdout.splitlines())
    # The same work in this process on one core, for comparison.
    bot = Bot()
    start = time.perf_counter()
    answer_lines(bot, distinct_questions(questions), io.StringIO(), processes=1)
    sequential = count / (time.perf_counter() - start)
    return {"questions": count, "per_second": count / spent, "sequential": sequential}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--smoke", action="store_true", help="one small size and few runs: checks that the benchmark works")
    parser.add_argument("--queries", type=int, default=300, help="questions per size for latency")
    parser.add_argument("--cold-runs", type=int, default=21)
    parser.add_argument("--output", type=Path, default=None, help=f"where to write the table (default: {RESULTS.name}, or nowhere with --smoke)")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.queries, args.cold_runs = [1000], 60, 3
    elif args.output is None:
        args.output = RESULTS

    rows = []
    bundled = Bot()
    questions = eval_questions()
    # Steady-state latency: one unmeasured pass over the questions reworded first, so that
    # one-off work (patterns compiled on first use, the typo index) is not counted per query.
    for question in questions:
        bundled.ask(f"{question} thanks")
    small = query_latency(bundled, [], questions * 3)
    base_accuracy = accuracy(bundled)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            files = build_kb(folder, size)
            loads = load_time(files, folder, runs=5 if size <= 10_000 else 2)
            bot = Bot(folder)
            mixed = questions[: args.queries // 2] + synthetic_questions(files, args.queries // 2)
            latency = query_latency(bot, files, mixed)
            scored = accuracy(bot)
        rows.append((size, latency, loads, scored))
        print(f"{size} entries done", file=sys.stderr)
    cold = cold_start(args.cold_runs)
    batch = batch_throughput(questions)

    lines = [f"Machine: {machine()}", ""]
    lines.append("| entries | phrasings | Bot.ask p50 | brute p50 | ratio | Bot.ask p99 | brute p99 | ratio | eval right (alone: %d/%d) | load: Bot | raw YAML | ratio |"
                 % (base_accuracy["right"], base_accuracy["total"]))
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size, lat, loads, scored in rows:
        lines.append(
            f"| {size:,} | {lat['phrasings']:,} | {lat['ours_p50'] * 1e3:.2f} ms | {lat['brute_p50'] * 1e3:.2f} ms | "
            f"{lat['ours_p50'] / lat['brute_p50']:.2f}x | {lat['ours_p99'] * 1e3:.2f} ms | {lat['brute_p99'] * 1e3:.2f} ms | "
            f"{lat['ours_p99'] / lat['brute_p99']:.2f}x | {scored['right']}/{scored['total']} | {loads['bot']:.2f} s | "
            f"{loads['raw']:.2f} s | {loads['bot'] / loads['raw']:.2f}x |"
        )
    lines.append("")
    lines.append(f"- Bundled KB alone: Bot.ask p50 {small['ours_p50'] * 1e3:.3f} ms, p99 {small['ours_p99'] * 1e3:.3f} ms "
                 f"({len(questions)} questions asked 3 times each, after a warm-up pass over the same questions reworded); "
                 f"taking each question's quickest of its 3 runs, so that a pause of the machine is not counted as a "
                 f"question's cost: p50 {small['quickest_p50'] * 1e3:.3f} ms, p99 {small['quickest_p99'] * 1e3:.3f} ms.")
    lines.append(f"- Cold start: `chatbot ask \"does it go away\"` {cold['ours'] * 1e3:.0f} ms against "
                 f"`python -c \"import rapidfuzz, yaml\"` {cold['bare'] * 1e3:.0f} ms: {cold['ours'] / cold['bare']:.2f}x "
                 f"(median of {args.cold_runs}).")
    lines.append(f"- Batch: `chatbot ask --json -` answered {batch['questions']:,} different questions at "
                 f"{batch['per_second']:,.0f} questions a second ({workers()} worker processes; "
                 f"{batch['sequential']:,.0f} a second in one process).")
    table = "\n".join(lines)
    print(table)
    if args.output is not None:
        args.output.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

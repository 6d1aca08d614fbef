"""The Markdown table of bench/load.sh from its rounds: ``name rps p50 p99 requests bad socket``.

    python bench/load_report.py RESULTS hello home article ...   (the first name is the yardstick)

requests/s is the mean of the rounds; p50 and p99 are the medians of the rounds' own
percentiles. Exits 1 when any round saw an error.
"""

import statistics
import sys


def read_rounds(path):
    rounds = {}
    with open(path) as lines:
        for line in lines:
            name, *numbers = line.split()
            rounds.setdefault(name, []).append([float(n) for n in numbers])
    return rounds


def summary(rounds):
    return {
        "rps": statistics.mean(r[0] for r in rounds),
        "p50": statistics.median(r[1] for r in rounds),
        "p99": statistics.median(r[2] for r in rounds),
        "requests": int(sum(r[3] for r in rounds)),
        "errors": int(sum(r[4] + r[5] for r in rounds)),
    }


def main(path, names):
    rounds = read_rounds(path)
    rows = {name: summary(rounds[name]) for name in names}
    yardstick = names[0]
    print(f"| page | requests/s | p50 ms | p99 ms | {yardstick} ÷ page | requests | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        ratio = rows[yardstick]["rps"] / row["rps"] if row["rps"] else float("inf")
        print(
            f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | {ratio:.1f} "
            f"| {row['requests']} | {row['errors']} |"
        )
    errors = sum(row["errors"] for row in rows.values())
    print("\nrequests/s: mean of the rounds; p50, p99: median of the rounds' percentiles.")
    print(f"Errors: {errors} (socket errors and answers that are not 2xx; must be 0)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))

"""Command line: `python -m rnnlesson doctor`."""

import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["doctor"]:
        print("usage: python -m rnnlesson doctor   (checks versions, the widget front end, data and GPU)")
        return 2
    from rnnlesson import doctor

    return doctor.report(doctor.run_checks())


if __name__ == "__main__":
    sys.exit(main())

# The README's commands. Without make, run `bash tasks.sh lesson`, `bash tasks.sh check` or `bash tasks.sh test`.
.PHONY: lesson check test test-oldest figures

lesson:
	bash tasks.sh lesson

check:
	bash tasks.sh check

test:
	bash tasks.sh test

test-oldest:
	bash tasks.sh test-oldest

figures:
	bash tasks.sh figures

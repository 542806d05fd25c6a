# The README's two commands. Without make, run `bash tasks.sh lesson` or `bash tasks.sh test`.
.PHONY: lesson test test-oldest

lesson:
	bash tasks.sh lesson

test:
	bash tasks.sh test

test-oldest:
	bash tasks.sh test-oldest

# The README's commands. Without make, run `bash tasks.sh lesson`, `bash tasks.sh check` or `bash tasks.sh test`.
.PHONY: lesson check test test-oldest figures book

# `make lesson LANG=zh-CN` opens the Chinese edition. LANG also comes from the environment (zh_CN.UTF-8 and the
# like): any value starting with zh means zh-CN, anything else the English edition.
LESSON_LANGUAGE := $(if $(filter zh%,$(LANG)),zh-CN,en)

lesson:
	bash tasks.sh lesson $(LESSON_LANGUAGE)

check:
	bash tasks.sh check

test:
	bash tasks.sh test

test-oldest:
	bash tasks.sh test-oldest

figures:
	bash tasks.sh figures

book:
	bash tasks.sh book

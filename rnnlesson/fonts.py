"""A font for Chinese figure labels: found once, registered with matplotlib, or a one-line notice and English.

Debian's and Ubuntu's fonts-noto-cjk (which the project's CI installs) gives "Noto Sans CJK SC"; fonts that
Windows and macOS ship are looked for by name. A font counts only if it has the glyphs of a Chinese sample.
"""

import functools
import glob
import os

SAMPLE = "中文标签的字体"
KNOWN_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
               "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
               "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
KNOWN_NAMES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
               "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB", "Arial Unicode MS")
NOTICE = ("未找到可显示中文的字体，图中标签改用英文（安装字体：sudo apt install fonts-noto-cjk）。"
          " No font with Chinese characters was found: figure labels are in English (install one: "
          "sudo apt install fonts-noto-cjk).")


def has_glyphs(path, sample=SAMPLE):
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(character)) for character in sample)


def find_chinese_font():
    """(family name, file) of a font with the sample's glyphs that matplotlib can use, or None.

    Font files found on disk are registered first (matplotlib's font cache may predate their install); then the
    simplified-Chinese face is preferred by name (a .ttc holds the SC, TC, JP and KR faces).
    """
    from matplotlib import font_manager

    files = [path for path in dict.fromkeys([*KNOWN_FILES, *sorted(glob.glob("/usr/share/fonts/**/*CJK*",
                                                                             recursive=True))])
             if os.path.isfile(path) and has_glyphs(path)]
    for path in files:
        font_manager.fontManager.addfont(path)
    by_name = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    for name in KNOWN_NAMES:
        if name in by_name and has_glyphs(by_name[name]):
            return name, by_name[name]
    if files:
        return font_manager.FontProperties(fname=files[0]).get_name(), files[0]
    return None


@functools.cache
def use_chinese_font():
    """Put a Chinese font first in matplotlib's sans-serif list (DejaVu Sans after it for what it lacks) and
    return its name; without one, print NOTICE once and return None."""
    found = find_chinese_font()
    if found is None:
        print(NOTICE)
        return None
    name, _ = found
    first_font(name)
    return name


_first = None  # the font first_font put before the others, if any


def first_font(name):
    """Put the font `name` first in matplotlib's sans-serif list; None takes out the one put there before, so
    English figures after a Chinese session are drawn as they always are."""
    global _first
    import matplotlib

    families = [family for family in matplotlib.rcParams["font.sans-serif"] if family not in (_first, name)]
    if name is not None:
        families.insert(0, name)
        matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = families
    _first = name

"""What the formgrader shows an instructor of a learner's notebook: its HTML without anything that runs.

nbgrader's formgrader renders every submission with nbconvert's
``HTMLExporter`` and serves it from the Jupyter server's own origin, where a
script can act with the instructor's session (start a kernel, read the
solutions, change grades).  A learner's markdown cell, an HTML output or a
JavaScript output would run there.  ``nbgrader_config.py`` therefore sets
``c.HTMLExporter.sanitize_html`` (outputs) and replaces the exporter's
``markdown2html`` with :func:`markdown2html` (the formgrader's template
renders markdown cells without nbconvert's sanitizing).
"""

import bleach
from nbconvert.filters.markdown_mistune import markdown2html_mistune

# What markdown renders to; everything else, scripts and event handlers included, is shown as text.
_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
         "i", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
         "tr", "ul"}
_ATTRIBUTES = {"*": ["class", "id"], "a": ["href", "title"], "img": ["src", "alt", "title"]}


def markdown2html(source):
    """A markdown cell as HTML, sanitized: only formatting tags, links and images (http, https, data) remain."""
    return bleach.clean(markdown2html_mistune(source), tags=_TAGS, attributes=_ATTRIBUTES,
                        protocols={"http", "https", "mailto", "data"})

"""The wording check (严重错别字): frequently miswritten names of bodies, laws, titles and
official terms, found in a text before it is published.

Plain Python in `check` and `terms`; the model, services and views hold the terms the platform
administrator adds.

    from gongkai.wording.check import find_wording
"""

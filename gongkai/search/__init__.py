"""Full-text search of the public catalogue (第二十四条: 检索).

segment.py (jieba + the project dictionary), backends/ (PostgreSQL full-text search, SQLite
FTS5), indexing.py (kept in step by catalogue.services in the publishing transaction),
selectors.search(), services (the staff's dictionary words), bulk.py (loading many documents).
"""

"""Full-text search of tickets: SQLite FTS5 table or PostgreSQL tsvector, kept by triggers.

Revision ID: 0005_ticket_search
Revises: 0004_mail
"""

from alembic import op

revision = "0005_ticket_search"
down_revision = "0004_mail"
branch_labels = None
depends_on = None

# The indexed document of a ticket: reference, subject, requester, every message.
SQLITE_REFRESH = """
    DELETE FROM ticket_fts WHERE rowid = {id};
    INSERT INTO ticket_fts(rowid, reference, subject, requester, body)
    SELECT t.id, t.reference, t.subject,
           t.requester_name || ' ' || coalesce(t.requester_email, ''),
           coalesce((SELECT group_concat(m.body, ' ') FROM message m WHERE m.ticket_id = t.id), '')
    FROM ticket t WHERE t.id = {id};
"""

SQLITE = [
    """CREATE VIRTUAL TABLE ticket_fts USING fts5(
        reference, subject, requester, body,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6'
    )""",
    "CREATE TRIGGER ticket_fts_ticket_insert AFTER INSERT ON ticket BEGIN"
    + SQLITE_REFRESH.format(id="NEW.id")
    + "END",
    "CREATE TRIGGER ticket_fts_ticket_update AFTER UPDATE OF reference, subject, requester_name,"
    " requester_email ON ticket BEGIN" + SQLITE_REFRESH.format(id="NEW.id") + "END",
    "CREATE TRIGGER ticket_fts_ticket_delete AFTER DELETE ON ticket BEGIN"
    " DELETE FROM ticket_fts WHERE rowid = OLD.id; END",
    "CREATE TRIGGER ticket_fts_message_insert AFTER INSERT ON message BEGIN"
    + SQLITE_REFRESH.format(id="NEW.ticket_id")
    + "END",
    "CREATE TRIGGER ticket_fts_message_update AFTER UPDATE OF body, ticket_id ON message BEGIN"
    + SQLITE_REFRESH.format(id="OLD.ticket_id")
    + SQLITE_REFRESH.format(id="NEW.ticket_id")
    + "END",
    "CREATE TRIGGER ticket_fts_message_delete AFTER DELETE ON message BEGIN"
    + SQLITE_REFRESH.format(id="OLD.ticket_id")
    + "END",
    """INSERT INTO ticket_fts(rowid, reference, subject, requester, body)
       SELECT t.id, t.reference, t.subject,
              t.requester_name || ' ' || coalesce(t.requester_email, ''),
              coalesce((SELECT group_concat(m.body, ' ') FROM message m
                        WHERE m.ticket_id = t.id), '')
       FROM ticket t""",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'helpdesk_fr') THEN
            CREATE TEXT SEARCH CONFIGURATION helpdesk_fr (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION helpdesk_fr
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
    "ALTER TABLE ticket ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION ticket_search_document(ticket_id integer) RETURNS tsvector
       LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('helpdesk_fr', coalesce(t.reference, '') || ' '
                                     || coalesce(t.subject, '')), 'A')
            || setweight(to_tsvector('helpdesk_fr', coalesce(t.requester_name, '') || ' '
                                     || coalesce(t.requester_email, '')), 'B')
            || setweight(to_tsvector('helpdesk_fr', coalesce(
                   (SELECT string_agg(m.body, ' ' ORDER BY m.id) FROM message m
                    WHERE m.ticket_id = t.id), '')), 'C')
        FROM ticket t WHERE t.id = ticket_id
    $$""",
    """CREATE FUNCTION ticket_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'ticket' THEN
            IF TG_OP = 'INSERT' OR NEW.subject IS DISTINCT FROM OLD.subject
               OR NEW.reference IS DISTINCT FROM OLD.reference
               OR NEW.requester_name IS DISTINCT FROM OLD.requester_name
               OR NEW.requester_email IS DISTINCT FROM OLD.requester_email THEN
                UPDATE ticket SET search_vector = ticket_search_document(NEW.id)
                WHERE id = NEW.id;
            END IF;
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE ticket SET search_vector = ticket_search_document(OLD.ticket_id)
            WHERE id = OLD.ticket_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE ticket SET search_vector = ticket_search_document(NEW.ticket_id)
            WHERE id = NEW.ticket_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER ticket_search_on_ticket AFTER INSERT OR UPDATE OF subject, reference,
       requester_name, requester_email ON ticket
       FOR EACH ROW EXECUTE FUNCTION ticket_search_refresh()""",
    """CREATE TRIGGER ticket_search_on_message AFTER INSERT OR UPDATE OF body, ticket_id
       OR DELETE ON message FOR EACH ROW EXECUTE FUNCTION ticket_search_refresh()""",
    "UPDATE ticket SET search_vector = ticket_search_document(id)",
    "CREATE INDEX ix_ticket_search_vector ON ticket USING gin (search_vector)",
]


def upgrade() -> None:
    statements = POSTGRES if op.get_bind().dialect.name == "postgresql" else SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_search_on_message ON message")
        op.execute("DROP TRIGGER IF EXISTS ticket_search_on_ticket ON ticket")
        op.execute("DROP FUNCTION IF EXISTS ticket_search_refresh()")
        op.execute("DROP FUNCTION IF EXISTS ticket_search_document(integer)")
        op.execute("DROP INDEX IF EXISTS ix_ticket_search_vector")
        op.execute("ALTER TABLE ticket DROP COLUMN IF EXISTS search_vector")
        return
    for name in (
        "ticket_insert",
        "ticket_update",
        "ticket_delete",
        "message_insert",
        "message_update",
        "message_delete",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS ticket_fts_{name}")
    op.execute("DROP TABLE IF EXISTS ticket_fts")

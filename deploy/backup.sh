#!/bin/sh
# Back up the database (attachments and categoriser included) and keep KEEP_DAYS of backups.
#   HELPDESK_DATABASE_URL=... deploy/backup.sh [folder]
# Restore into an empty database: helpdesk db restore FILE
set -eu
folder="${1:-${HELPDESK_BACKUP_DIR:-/var/backups/helpdesk}}"
keep_days="${KEEP_DAYS:-14}"
mkdir -p "$folder"
file="$folder/helpdesk-$(date -u +%Y%m%dT%H%M%SZ).dump"
helpdesk db backup "$file"
find "$folder" -name 'helpdesk-*.dump' -type f -mtime +"$keep_days" -delete

import time, pytest
from helpdesk.mail import imap
def test_timing(dovecot):
    user, pw = dovecot.add_user()
    box = imap.MailboxConfig(name="x", host="127.0.0.1", port=dovecot.imap_port, security="starttls", username=user, password="bad", ca_file=dovecot.ca_file)
    t=time.time()
    try: imap.connect(box)
    except imap.ImapError as e: print(e)
    print("bad", time.time()-t)
    box = imap.MailboxConfig(name="x", host="127.0.0.1", port=dovecot.imap_port, security="starttls", username=user, password=pw, ca_file=dovecot.ca_file)
    t=time.time(); c=imap.connect(box); print("good", time.time()-t); c.logout()

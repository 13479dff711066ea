"""The agents' desk: saved views of the queue, changes to many tickets at once, presence."""

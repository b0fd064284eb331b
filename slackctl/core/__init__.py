"""What slackctl does, with no I/O of its own: takes a Session, returns values, raises errors."""

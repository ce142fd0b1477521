"""Search: the browser search (Pagefind over the built site), the whoosh index of the command
line and the endpoint, and « Articles liés »."""

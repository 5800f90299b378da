"""The editor: the edit page's forms and formsets, the mapping between a candidate and its
form data, the one diff behind every PATCH body, the review and conflict pages' change lists,
and the state a page carries between its steps. Part of the core: it imports no wing."""

// Live search box: progressive enhancement, filled in by the search issue.

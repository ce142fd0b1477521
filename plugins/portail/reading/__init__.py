"""Reading: kb/ (catalogue, documentation, FAQ, release notes and changelogs, information posts,
synonyms) into the model, with a finding for everything it cannot read."""

// The integrate workflow asks a person to approve its plan; a run without a terminal would stop
// awaiting approval. Tests of everything else approve without asking, as scripted use does
// (--yes); the approval tests remove this variable to exercise the waiting.
process.env.ORCHESTRATE_APPROVE ??= 'auto';

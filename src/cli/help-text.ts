/** Option descriptions shared by the `--help` of every command that runs a workflow. */
export const RUN_OPTIONS_HELP = `Run options:
  --model <m>          Claude model for every agent: haiku, sonnet, opus or a full id
                       (default: each agent's own model; env ORCHESTRATE_MODEL)
  --provider <p>       offline or anthropic (default: anthropic when ANTHROPIC_API_KEY is set)
  --concurrency <n>    most tasks running at once (default 4)
  --budget-usd <x>     stop the run when its cost passes this many US dollars; a model
                       without a known price is refused unless --price is given
  --price <in>/<out>   USD per million tokens for a model the price table does not know
                       (such as 3/15; add /<cache read>/<cache write> to set those too)
  --dry-run            print the plan (tasks, agents, models, prompt sizes, token and cost
                       estimate) and write nothing
  --record <dir>       save every model exchange; --replay <dir> runs from them offline
  --unsafe-run-tests   let run_tests run model-written tests without an OS sandbox where
                       bubblewrap is missing (env ORCHESTRATE_UNSAFE_RUN_TESTS=1)
  --yes, -y            approve every approval without asking (env ORCHESTRATE_APPROVE=auto);
                       without it a terminal asks, and elsewhere the run stops awaiting approval
  --redis <url>        run the agent tasks on workers (orchestrate worker) through a queue on
                       this Redis (env ORCHESTRATE_REDIS_URL); --queue <name> picks the queue
  --git-url <url>      with --redis: where workers on other hosts fetch the run's base commit
                       (env ORCHESTRATE_GIT_URL; default: the workspace's path, same host only)
  --cwd <dir>          the repository to work on (default: the current directory)

Output options:
  --json               newline-delimited JSON events and the result, nothing else on stdout
  --quiet, -q          no progress; one line with the status, run id and folder
  --verbose            also every tool call, file written and learning recorded
  --no-color           no colours (also NO_COLOR=1)
  --log-level <level>  level of the run's log, run.log (default info; env ORCHESTRATE_LOG_LEVEL)`;

export const COMMON_OPTIONS_HELP = `Options:
  --cwd <dir>    the repository to look in (default: the current directory)
  --json         machine-readable output
  --no-color     no colours (also NO_COLOR=1)`;

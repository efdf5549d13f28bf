# The one-shot that registers the simulated GPU servers and hands each agent its token (docker/agent-init.sh).
#   docker build -f docker/agent-init.Dockerfile -t owl-factory-agent-init .
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl jq \
    && rm -rf /var/lib/apt/lists/*
COPY docker/agent-init.sh /usr/local/bin/owl-agent-init
# The uid of the .NET images' "app" user, which runs the agents: the token files it writes are theirs. A new named
# volume mounted on /agents takes this folder's owner.
RUN mkdir /agents && chown 1654:1654 /agents
USER 1654
ENTRYPOINT ["/usr/local/bin/owl-agent-init"]

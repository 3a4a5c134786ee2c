# taskrouter: one node. Build: docker build -t taskrouter .   Run: see compose.yaml and docs/deploy.md.
# Two stages: the wheel is built with the build tools, the image holds only the installed package.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY generated ./generated
COPY services ./services
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /data taskrouter \
 && mkdir -p /data && chown taskrouter /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY deploy/entrypoint.sh /usr/local/bin/taskrouter-entrypoint
USER taskrouter
WORKDIR /data
VOLUME /data
EXPOSE 50051 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD python -c "import os,urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('TASKROUTER_HTTP_ADDR', ':8080').rpartition(':')[2] + '/openapi.json', timeout=2)"
ENTRYPOINT ["taskrouter-entrypoint"]
CMD ["serve"]

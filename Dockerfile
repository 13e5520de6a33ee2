# FTL Portal, embedded default mode: one container, SQLite database and artifacts under /data.
#   docker build -t ftl-portal .
#   docker run -p 8080:8080 -v ftl-data:/data -e Demo__Password=... ftl-portal

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# global.json is left out on purpose: it pins the SDK of the development machines, and the image
# brings its own 10.0 SDK. .editorconfig is needed: it sets analyzer severities (warnings are errors).
COPY Directory.Build.props Directory.Packages.props .editorconfig ./

# Project files first, so the restore layer is reused while only sources change.
COPY src/FTLPortal.Learning/FTLPortal.Learning.csproj src/FTLPortal.Learning/
COPY src/FTLPortal.Federation/FTLPortal.Federation.csproj src/FTLPortal.Federation/
COPY src/FTLPortal.Core/FTLPortal.Core.csproj src/FTLPortal.Core/
COPY src/FTLPortal.Infrastructure/FTLPortal.Infrastructure.csproj src/FTLPortal.Infrastructure/
COPY src/FTLPortal.Web/FTLPortal.Web.csproj src/FTLPortal.Web/
# The TorchSharp engine is published as a plug-in in /app/engines/torchsharp/ (~600 MB); false leaves it out.
ARG FTL_ENGINE_PLUGINS=true
COPY src/FTLPortal.Learning.TorchSharp/FTLPortal.Learning.TorchSharp.csproj src/FTLPortal.Learning.TorchSharp/
RUN dotnet restore src/FTLPortal.Web/FTLPortal.Web.csproj -p:FtlEnginePlugins=$FTL_ENGINE_PLUGINS

COPY src/ src/
COPY wwwroot/ wwwroot/
RUN dotnet publish src/FTLPortal.Web/FTLPortal.Web.csproj -c Release --no-restore -o /app -p:UseAppHost=false -p:FtlEnginePlugins=$FTL_ENGINE_PLUGINS

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# The image's non-root user "app" owns the data folder; the volume keeps database, keys and artifacts.
RUN mkdir -p /data && chown app:app /data
ENV Portal__DataDirectory=/data \
    ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
VOLUME /data
EXPOSE 8080
USER app

# No HEALTHCHECK: the runtime image has no HTTP client; orchestrators should probe GET /health.
ENTRYPOINT ["dotnet", "FTLPortal.Web.dll"]

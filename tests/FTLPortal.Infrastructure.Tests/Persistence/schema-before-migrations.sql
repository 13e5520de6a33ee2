-- The portal schema as EnsureCreated made it before migrations (main at 48dc30f), from sqlite3 .schema (less SQLite's own sqlite_sequence).
CREATE TABLE IF NOT EXISTS "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);
CREATE TABLE IF NOT EXISTS "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "PartnerId" TEXT NULL,
    "DisplayName" TEXT NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "BaseModels" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_BaseModels" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "SourceDomainId" TEXT NOT NULL,
    "SourceDomainName" TEXT NOT NULL,
    "PretrainingJobId" TEXT NULL,
    "ArchitectureJson" TEXT NOT NULL,
    "LayersJson" TEXT NOT NULL,
    "WeightsArtifact" TEXT NOT NULL,
    "WeightsSha256" TEXT NOT NULL,
    "ValidationAccuracy" REAL NOT NULL,
    "ValidationLoss" REAL NOT NULL,
    "TrainRows" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "Jobs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Jobs" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Progress" REAL NOT NULL,
    "ProgressMessage" TEXT NULL,
    "ParametersJson" TEXT NOT NULL,
    "ResultJson" TEXT NULL,
    "Error" TEXT NULL,
    "CurrentRound" INTEGER NOT NULL,
    "TotalRounds" INTEGER NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "InvolvedPartners" TEXT NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "StartedAt" INTEGER NULL,
    "FinishedAt" INTEGER NULL,
    "ScheduledFor" TEXT NULL,
    "ScheduleId" TEXT NULL,
    "ClonedFromId" TEXT NULL,
    "CancelRequestedAt" TEXT NULL
);
CREATE TABLE IF NOT EXISTS "ModelCards" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ModelCards" PRIMARY KEY,
    "JobId" TEXT NOT NULL,
    "ModelName" TEXT NOT NULL,
    "Markdown" TEXT NOT NULL,
    "Json" TEXT NOT NULL,
    "WeightsArtifact" TEXT NOT NULL,
    "WeightsSha256" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "Partners" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Partners" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Slug" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "RoundMetrics" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_RoundMetrics" PRIMARY KEY AUTOINCREMENT,
    "JobId" TEXT NOT NULL,
    "Round" INTEGER NOT NULL,
    "PartnerId" TEXT NOT NULL,
    "PartnerName" TEXT NOT NULL,
    "DomainId" TEXT NOT NULL,
    "SampleCount" INTEGER NOT NULL,
    "TrainLoss" REAL NOT NULL,
    "ValidationLoss" REAL NOT NULL,
    "ValidationAccuracy" REAL NOT NULL,
    "Dropped" INTEGER NOT NULL,
    "DropReason" TEXT NULL,
    "RecordedAt" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "Domains" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Domains" PRIMARY KEY,
    "PartnerId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "LabelColumn" TEXT NOT NULL,
    "OriginalFileName" TEXT NOT NULL,
    "Rows" INTEGER NOT NULL,
    "FeatureCount" INTEGER NOT NULL,
    "ClassCount" INTEGER NOT NULL,
    "SummaryJson" TEXT NOT NULL,
    "SimilarityConsent" INTEGER NOT NULL,
    "TrainingConsent" INTEGER NOT NULL,
    "RegisteredBy" TEXT NOT NULL,
    "RegisteredAt" INTEGER NOT NULL,
    CONSTRAINT "FK_Domains_Partners_PartnerId" FOREIGN KEY ("PartnerId") REFERENCES "Partners" ("Id") ON DELETE CASCADE
);
CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");
CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");
CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");
CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");
CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");
CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
CREATE UNIQUE INDEX "IX_BaseModels_Name_Version" ON "BaseModels" ("Name", "Version");
CREATE UNIQUE INDEX "IX_Domains_PartnerId_Name" ON "Domains" ("PartnerId", "Name");
CREATE INDEX "IX_Jobs_CreatedAt" ON "Jobs" ("CreatedAt");
CREATE UNIQUE INDEX "IX_ModelCards_JobId" ON "ModelCards" ("JobId");
CREATE UNIQUE INDEX "IX_Partners_Slug" ON "Partners" ("Slug");
CREATE INDEX "IX_RoundMetrics_JobId_Round" ON "RoundMetrics" ("JobId", "Round");

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FTLPortal.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BaseModelImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ImportFileSha256",
                table: "BaseModels",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportFormat",
                table: "BaseModels",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportedBy",
                table: "BaseModels",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Origin",
                table: "BaseModels",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                // Every model before this migration was pre-trained in the portal.
                defaultValue: "Pretrained");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ImportFileSha256",
                table: "BaseModels");

            migrationBuilder.DropColumn(
                name: "ImportFormat",
                table: "BaseModels");

            migrationBuilder.DropColumn(
                name: "ImportedBy",
                table: "BaseModels");

            migrationBuilder.DropColumn(
                name: "Origin",
                table: "BaseModels");
        }
    }
}

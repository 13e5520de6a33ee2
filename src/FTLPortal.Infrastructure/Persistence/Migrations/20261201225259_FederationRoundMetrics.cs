using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FTLPortal.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FederationRoundMetrics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "BytesFromPartner",
                table: "RoundMetrics",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "BytesToPartner",
                table: "RoundMetrics",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<double>(
                name: "Epsilon",
                table: "RoundMetrics",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Rejected",
                table: "RoundMetrics",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BytesFromPartner",
                table: "RoundMetrics");

            migrationBuilder.DropColumn(
                name: "BytesToPartner",
                table: "RoundMetrics");

            migrationBuilder.DropColumn(
                name: "Epsilon",
                table: "RoundMetrics");

            migrationBuilder.DropColumn(
                name: "Rejected",
                table: "RoundMetrics");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FTLPortal.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EvaluationResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DomainName",
                table: "RoundMetrics",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<double>(
                name: "GlobalValidationAccuracy",
                table: "RoundMetrics",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "GlobalValidationBalancedAccuracy",
                table: "RoundMetrics",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "GlobalValidationLoss",
                table: "RoundMetrics",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "GlobalValidationRows",
                table: "RoundMetrics",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EvaluationJson",
                table: "Jobs",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DomainName",
                table: "RoundMetrics");

            migrationBuilder.DropColumn(
                name: "GlobalValidationAccuracy",
                table: "RoundMetrics");

            migrationBuilder.DropColumn(
                name: "GlobalValidationBalancedAccuracy",
                table: "RoundMetrics");

            migrationBuilder.DropColumn(
                name: "GlobalValidationLoss",
                table: "RoundMetrics");

            migrationBuilder.DropColumn(
                name: "GlobalValidationRows",
                table: "RoundMetrics");

            migrationBuilder.DropColumn(
                name: "EvaluationJson",
                table: "Jobs");
        }
    }
}

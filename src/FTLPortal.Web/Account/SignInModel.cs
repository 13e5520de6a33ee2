using System.ComponentModel.DataAnnotations;

namespace FTLPortal.Web.Account;

/// <summary>The sign-in form's fields.</summary>
public sealed class SignInModel
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";
}

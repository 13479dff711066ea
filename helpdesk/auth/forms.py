from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(
        "Adresse électronique",
        validators=[DataRequired("Indiquez votre adresse électronique.")],
        description="Format attendu : nom@domaine.fr",
    )
    password = PasswordField(
        "Mot de passe", validators=[DataRequired("Indiquez votre mot de passe.")]
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        "Mot de passe actuel", validators=[DataRequired("Indiquez votre mot de passe actuel.")]
    )
    new = PasswordField(
        "Nouveau mot de passe",
        validators=[
            DataRequired("Choisissez un nouveau mot de passe."),
            Length(min=10, message="Au moins 10 caractères."),
        ],
        description="Au moins 10 caractères, en mêlant lettres et chiffres ou symboles.",
    )
    confirm = PasswordField(
        "Confirmation",
        validators=[
            DataRequired("Confirmez le nouveau mot de passe."),
            EqualTo("new", message="Les deux mots de passe diffèrent."),
        ],
    )
